package org.diffusion4j.io;

import org.diffusion4j.nn.Module;
import org.diffusion4j.optim.Ema;
import org.diffusion4j.optim.Optimizer;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint in one safetensors file: the model's parameters under "model.", the optimiser's
 * state tensors under "optim." and the EMA averages under "ema."; the optimiser's and the EMA's counters and
 * settings go into the metadata under the same prefixes, next to the caller's own metadata (keys without
 * those prefixes). The optimiser and the EMA are optional (null).
 */
public final class Checkpoint {
    public static final String MODEL = "model.", OPTIM = "optim.", EMA = "ema.";

    private Checkpoint() { }

    public static void write(Path path, Module model, Optimizer optimizer, Ema ema, Map<String, String> metadata) {
        try (Scope scope = Scope.open()) {   // frees the state-dict snapshot after writing
            writeIn(path, model, optimizer, ema, metadata);
        }
    }

    private static void writeIn(Path path, Module model, Optimizer optimizer, Ema ema, Map<String, String> metadata) {
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        if (metadata != null) {
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey().startsWith(OPTIM) || e.getKey().startsWith(EMA)) throw new IllegalArgumentException(
                        "checkpoint metadata key '" + e.getKey() + "' uses a reserved prefix (" + OPTIM + " or " + EMA + ")");
                meta.put(e.getKey(), e.getValue());
            }
        }
        model.stateDict().forEach((k, v) -> tensors.put(MODEL + k, v));
        if (optimizer != null) {
            optimizer.stateTensors().forEach((k, v) -> tensors.put(OPTIM + k, v));
            optimizer.stateMetadata().forEach((k, v) -> meta.put(OPTIM + k, v));
        }
        if (ema != null) {
            ema.averages().forEach((k, v) -> tensors.put(EMA + k, v));
            ema.stateMetadata().forEach((k, v) -> meta.put(EMA + k, v));
        }
        Safetensors.write(path, tensors, meta);
    }

    /**
     * Restores model, optimiser and EMA (each may be null to skip it) from path, and returns the caller's
     * metadata (without the optimiser's and EMA's entries).
     */
    public static LinkedHashMap<String, String> restore(Path path, Module model, Optimizer optimizer, Ema ema) {
        Safetensors.Contents c = Safetensors.read(path);
        if (model != null) model.loadStateDict(withPrefix(c.tensors(), MODEL));
        if (optimizer != null) optimizer.loadState(withPrefix(c.tensors(), OPTIM), withPrefix(c.metadata(), OPTIM));
        if (ema != null) ema.loadState(withPrefix(c.tensors(), EMA), withPrefix(c.metadata(), EMA));
        LinkedHashMap<String, String> user = new LinkedHashMap<>();
        c.metadata().forEach((k, v) -> { if (!k.startsWith(OPTIM) && !k.startsWith(EMA)) user.put(k, v); });
        return user;
    }

    /** The entries whose key starts with prefix, with the prefix removed. */
    public static <V> LinkedHashMap<String, V> withPrefix(Map<String, V> all, String prefix) {
        LinkedHashMap<String, V> out = new LinkedHashMap<>();
        all.forEach((k, v) -> { if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v); });
        return out;
    }
}
