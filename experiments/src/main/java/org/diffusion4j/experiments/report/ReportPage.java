package org.diffusion4j.experiments.report;

import org.diffusion4j.experiments.io.AtomicFiles;
import org.diffusion4j.experiments.run.MetricsLog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * report.html: ONE self-contained page (no scripts, no links to other files). The loss curve is inline
 * SVG, every image is a PNG and every sound a WAV embedded as base64. Built section by section:
 * <pre>{@code
 * new ReportPage("run ddpm").text("...").lossCurve(entries).figures("Samples", figures).config(json).write(path);
 * }</pre>
 */
public final class ReportPage {
    /** An image with a caption. */
    public record Figure(String caption, byte[] png) { }

    /** A sound with its picture (a clip's spectrogram) and a caption. */
    public record Sound(String caption, byte[] png, byte[] wav) { }

    private final String title;
    private final List<String> sections = new ArrayList<>();

    public ReportPage(String title) { this.title = title; }

    public ReportPage text(String paragraph) {
        sections.add("<p>" + Html.escape(paragraph) + "</p>");
        return this;
    }

    public ReportPage lossCurve(List<MetricsLog.Entry> entries) {
        sections.add("<h2>Training loss</h2>\n" + LossCurve.svg(entries));
        return this;
    }

    /** A row of captioned images (sample grids over training, data beside samples, a trajectory strip). */
    public ReportPage figures(String heading, List<Figure> figures) {
        StringBuilder sb = new StringBuilder("<h2>").append(Html.escape(heading)).append("</h2>\n<div class=\"row\">\n");
        for (Figure f : figures) {
            sb.append("<figure>").append(Html.inlinePng(f.png(), f.caption()))
                    .append("<figcaption>").append(Html.escape(f.caption())).append("</figcaption></figure>\n");
        }
        sections.add(sb.append("</div>").toString());
        return this;
    }

    /** A row of captioned players, each under its picture: WAV and PNG both embedded, so the page stays one file. */
    public ReportPage sounds(String heading, List<Sound> sounds) {
        StringBuilder sb = new StringBuilder("<h2>").append(Html.escape(heading)).append("</h2>\n<div class=\"row\">\n");
        for (Sound s : sounds) {
            sb.append("<figure>").append(Html.inlinePng(s.png(), s.caption())).append("<br>").append(Html.inlineWav(s.wav(), s.caption()))
                    .append("<figcaption>").append(Html.escape(s.caption())).append("</figcaption></figure>\n");
        }
        sections.add(sb.append("</div>").toString());
        return this;
    }

    /**
     * A table with one row per record and one column per key (the union of the records' keys, in order of first
     * appearance), e.g. the evaluations that {@code ./d4j eval --run} appends to metrics.jsonl.
     */
    public ReportPage table(String heading, List<com.fasterxml.jackson.databind.JsonNode> records) {
        java.util.LinkedHashSet<String> keys = new java.util.LinkedHashSet<>();
        for (var r : records) r.fieldNames().forEachRemaining(keys::add);
        keys.remove("kind");
        StringBuilder sb = new StringBuilder("<h2>").append(Html.escape(heading)).append("</h2>\n<table><tr>");
        for (String k : keys) sb.append("<th>").append(Html.escape(k)).append("</th>");
        sb.append("</tr>\n");
        for (var r : records) {
            sb.append("<tr>");
            for (String k : keys) sb.append("<td>").append(r.has(k) ? Html.escape(r.get(k).isValueNode() ? r.get(k).asText() : r.get(k).toString()) : "").append("</td>");
            sb.append("</tr>\n");
        }
        sections.add(sb.append("</table>").toString());
        return this;
    }

    public ReportPage config(String json) {
        sections.add("<h2>Config</h2>\n<pre>" + Html.escape(json) + "</pre>");
        return this;
    }

    public String html() {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(Html.escape(title)).append("</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:1200px}")
                .append(".row{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0}")
                .append("img{image-rendering:pixelated;border:1px solid #ccc}figcaption{font-size:12px}")
                .append("pre{background:#f6f6f6;padding:1em;overflow:auto}")
                .append("table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px}</style></head>\n<body>\n<h1>")
                .append(Html.escape(title)).append("</h1>\n");
        for (String s : sections) sb.append(s).append('\n');
        return sb.append("</body></html>\n").toString();
    }

    /** Writes the page atomically ({@link AtomicFiles}: a reader or a kill never leaves half a page). */
    public void write(Path file) {
        try {
            AtomicFiles.writeString(file, html());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
