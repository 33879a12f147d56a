package org.diffusion4j.experiments.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.diffusion4j.io.Safetensors;
import org.diffusion4j.nn.Init;
import org.diffusion4j.nn.TokenTransformer;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained text model on disk: {@code text-model.json} (the {@link TextModelSpec} and what training did) and
 * {@code weights.safetensors} (the network's state dict). A folder holding text-model.json is a text run.
 */
public final class TextRunFolder {
    public static final String SPEC_FILE = "text-model.json", WEIGHTS_FILE = "weights.safetensors";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The spec as stored, with training facts. */
    public record Stored(TextModelSpec spec, long steps, double seconds, String device) { }

    private TextRunFolder() { }

    public static boolean isTextRun(Path folder) { return Files.isRegularFile(folder.resolve(SPEC_FILE)); }

    public static void write(Path folder, TextTrainer trainer, long steps, double seconds) throws IOException {
        Files.createDirectories(folder);
        Map<String, Tensor> state = new LinkedHashMap<>(trainer.network().stateDict());
        Safetensors.write(folder.resolve(WEIGHTS_FILE), state, Map.of("format", "diffusion4j text model"));
        Path tmp = folder.resolve(SPEC_FILE + ".tmp");
        JSON.writeValue(tmp.toFile(), new Stored(trainer.spec(), steps, seconds, trainer.backend().description()));
        Files.move(tmp, folder.resolve(SPEC_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The stored facts of a text run. */
    public static Stored readSpec(Path folder) throws IOException {
        if (!isTextRun(folder)) throw new java.io.FileNotFoundException(folder + " is not a text run: it has no " + SPEC_FILE);
        return JSON.readValue(folder.resolve(SPEC_FILE).toFile(), Stored.class);
    }

    /** The trained network on a backend, in F32. */
    public static TokenTransformer load(Path folder, Backend backend) throws IOException {
        Stored s = readSpec(folder);
        TokenTransformer net;
        try (Init init = Init.seeded(s.spec().seed(), backend, DType.F32)) { net = new TokenTransformer(s.spec().network()); }
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : Safetensors.read(folder.resolve(WEIGHTS_FILE), backend).tensors().entrySet())
            state.put(e.getKey(), e.getValue());
        net.loadStateDict(state);
        return net;
    }
}
