package org.diffusion4j.experiments.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * metrics.jsonl: one JSON object per line, {"step":…, "loss":…, "lr":…, "gradNorm":…, "seconds":…}, flushed
 * line by line so that a killed run keeps what it logged. {@link #truncateAfter} drops the lines a resumed
 * run is about to write again, so that a resumed run's file equals an uninterrupted run's (except times).
 * Other records may share the file ({@code ./d4j eval --run} appends lines with {@code "kind":"eval"}): they
 * are not training entries, so {@link #read} skips them and {@link #truncateAfter} keeps them verbatim.
 */
public final class MetricsLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One line. seconds is the wall time since the run (or its latest resumption) started. */
    public record Entry(long step, double loss, double lr, double gradNorm, double seconds) { }

    private final Path file;
    private BufferedWriter writer;

    public MetricsLog(Path file) { this.file = file; }

    public Path file() { return file; }

    public void append(Entry e) {
        ObjectNode line = JSON.createObjectNode();
        line.put("step", e.step());
        putNumber(line, "loss", e.loss());
        putNumber(line, "lr", e.lr());
        putNumber(line, "gradNorm", e.gradNorm());
        line.put("seconds", Math.round(e.seconds() * 1000) / 1000.0);
        try {
            if (writer == null) {
                writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            writer.write(JSON.writeValueAsString(line));
            writer.newLine();
            writer.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot append to " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** JSON has no NaN or infinity: those are written as strings ("NaN", "Infinity"). */
    private static void putNumber(ObjectNode line, String key, double v) {
        if (Double.isFinite(v)) line.put(key, v); else line.put(key, Double.toString(v));
    }

    /** Every entry in the file, in order; an unreadable last line (a kill mid-write) is ignored. */
    public static List<Entry> read(Path file) {
        List<Entry> out = new ArrayList<>();
        if (!Files.exists(file)) return out;
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).trim();
            if (text.isEmpty()) continue;
            try {
                JsonNode n = JSON.readTree(text);
                if (!isTrainingRecord(n)) continue;
                out.add(new Entry(n.get("step").asLong(), number(n.get("loss")), number(n.get("lr")),
                        number(n.get("gradNorm")), number(n.get("seconds"))));
            } catch (IOException | RuntimeException ex) {
                if (i == lines.size() - 1) break;
                throw new IllegalStateException(file + " line " + (i + 1) + " is not a metrics record: " + text, ex);
            }
        }
        return out;
    }

    private static double number(JsonNode n) {
        if (n == null) return Double.NaN;
        return n.isTextual() ? Double.parseDouble(n.asText()) : n.asDouble();
    }

    /** The records of one kind (e.g. "eval"), in file order, as JSON objects; unreadable lines are skipped. */
    public static List<JsonNode> records(Path file, String kind) {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(file)) return out;
        try {
            for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (text.isBlank()) continue;
                try {
                    JsonNode n = JSON.readTree(text);
                    if (n.has("kind") && n.get("kind").asText().equals(kind)) out.add(n);
                } catch (IOException ignored) {
                    // a half-written last line of a killed run: not a record
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
        return out;
    }

    /** A line without a "kind", or with kind "train", is a training entry. */
    private static boolean isTrainingRecord(JsonNode n) {
        JsonNode kind = n.get("kind");
        return kind == null || kind.asText().equals("train");
    }

    /**
     * Rewrites the file keeping the training entries with step <= lastStep and every other record
     * (e.g. evaluations) as it was; an unreadable last line (a kill mid-write) is dropped.
     */
    public void truncateAfter(long lastStep) {
        close();
        if (!Files.exists(file)) return;
        List<String> kept = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String text = lines.get(i).trim();
                if (text.isEmpty()) continue;
                JsonNode n;
                try {
                    n = JSON.readTree(text);
                } catch (IOException ex) {
                    if (i == lines.size() - 1) break;
                    throw new IllegalStateException(file + " line " + (i + 1) + " is not JSON: " + text, ex);
                }
                if (!isTrainingRecord(n) || n.get("step").asLong() <= lastStep) kept.add(text);
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, kept, StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot rewrite " + file + ": " + ex.getMessage(), ex);
        }
    }

    @Override public void close() {
        if (writer == null) return;
        try {
            writer.close();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot close " + file + ": " + ex.getMessage(), ex);
        } finally {
            writer = null;
        }
    }
}
