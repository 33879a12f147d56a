package org.diffusion4j.io;

import org.diffusion4j.nn.Module;
import org.diffusion4j.nn.Parameter;
import org.diffusion4j.optim.Ema;
import org.diffusion4j.optim.Optimizer;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
     * metadata (without the optimiser's and EMA's entries). The whole file is read and checked first
     * ({@link #problems}); a file with any problem changes nothing and throws {@link UnusableCheckpointException}.
     */
    public static LinkedHashMap<String, String> restore(Path path, Module model, Optimizer optimizer, Ema ema) {
        Safetensors.Contents c = Safetensors.read(path);
        List<String> problems = problems(c, model, optimizer, ema);
        if (!problems.isEmpty()) throw new UnusableCheckpointException(path, problems);
        if (model != null) model.loadStateDict(withPrefix(c.tensors(), MODEL));
        if (optimizer != null) optimizer.loadState(withPrefix(c.tensors(), OPTIM), withPrefix(c.metadata(), OPTIM));
        if (ema != null) ema.loadState(withPrefix(c.tensors(), EMA), withPrefix(c.metadata(), EMA));
        LinkedHashMap<String, String> user = new LinkedHashMap<>();
        c.metadata().forEach((k, v) -> { if (!k.startsWith(OPTIM) && !k.startsWith(EMA)) user.put(k, v); });
        return user;
    }

    /**
     * Everything that keeps a checkpoint's contents from being restored into model, optimiser and EMA (each may be
     * null: not checked), one line per problem: tensors that hold NaN or infinity, model entries missing,
     * unexpected or mis-shaped, and what {@link Optimizer#stateProblems} and {@link Ema#stateProblems} find.
     */
    public static List<String> problems(Safetensors.Contents c, Module model, Optimizer optimizer, Ema ema) {
        List<String> problems = new ArrayList<>(nonFinite(c.tensors()));
        if (model != null) problems.addAll(modelProblems(withPrefix(c.tensors(), MODEL), model));
        if (optimizer != null) {
            for (String p : optimizer.stateProblems(withPrefix(c.tensors(), OPTIM), withPrefix(c.metadata(), OPTIM))) {
                problems.add(p + " (resuming needs the complete optimizer state)");
            }
        }
        if (ema != null) {
            for (String p : ema.stateProblems(withPrefix(c.tensors(), EMA), withPrefix(c.metadata(), EMA))) {
                problems.add(p + " (resuming needs the complete EMA state)");
            }
        }
        return problems;
    }

    /** One line per tensor holding NaN or infinity: its name, the first bad element and how many are bad. */
    public static List<String> nonFinite(Map<String, Tensor> tensors) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            double[] values = e.getValue().contiguous().toDoubleArray();
            long bad = 0;
            int first = -1;
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    if (first < 0) first = i;
                    bad++;
                }
            }
            if (bad > 0) problems.add("tensor '" + e.getKey() + "' holds " + bad + " non-finite value" + (bad == 1 ? "" : "s")
                    + " of " + values.length + " (the first, " + values[first] + ", at element " + first + ")");
        }
        return problems;
    }

    private static List<String> modelProblems(Map<String, Tensor> state, Module model) {
        List<String> problems = new ArrayList<>(), missing = new ArrayList<>();
        Map<String, Parameter> named = model.namedParameters();
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            Tensor t = state.get(e.getKey());
            if (t == null) missing.add(MODEL + e.getKey());
            else if (!Arrays.equals(t.shape(), e.getValue().shape())) problems.add("tensor '" + MODEL + e.getKey() + "' has shape "
                    + Arrays.toString(t.shape()) + ", the model's parameter has " + Arrays.toString(e.getValue().shape()));
        }
        if (!missing.isEmpty()) problems.add("the model's weights are incomplete: " + missing.size() + " missing ("
                + String.join(", ", missing.subList(0, Math.min(8, missing.size()))) + (missing.size() > 8 ? ", ..." : "") + ")");
        for (String k : state.keySet()) if (!named.containsKey(k)) problems.add("tensor '" + MODEL + k + "' is no parameter of the model");
        return problems;
    }

    /** The entries whose key starts with prefix, with the prefix removed. */
    public static <V> LinkedHashMap<String, V> withPrefix(Map<String, V> all, String prefix) {
        LinkedHashMap<String, V> out = new LinkedHashMap<>();
        all.forEach((k, v) -> { if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v); });
        return out;
    }
}
