package org.diffusion4j.experiments.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes evaluation results as pretty JSON, atomically (temporary file, then rename). */
public final class EvalReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EvalReport() { }

    public static void writeJson(Path file, Map<String, ?> content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Appends one JSON object as a line (JSON Lines) to file, creating it when absent. */
    public static void appendJsonLine(Path file, Map<String, ?> content) throws IOException {
        String line = new ObjectMapper().writeValueAsString(content) + System.lineSeparator();
        Files.writeString(file, line, java.nio.charset.StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    /** The metadata of the feature network, for every output (which network defined FD-FMNIST). */
    public static Map<String, Object> featureNetwork(Map<String, String> metadata) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "FmnistClassifier penultimate layer (" + FmnistClassifier.FEATURES + " features)");
        m.putAll(metadata);
        return m;
    }
}
