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

    /** Rewrites the file keeping only entries with step <= lastStep. */
    public void truncateAfter(long lastStep) {
        close();
        List<Entry> kept = read(file).stream().filter(e -> e.step() <= lastStep).toList();
        try {
            Files.deleteIfExists(file);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot rewrite " + file + ": " + ex.getMessage(), ex);
        }
        for (Entry e : kept) append(e);
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
