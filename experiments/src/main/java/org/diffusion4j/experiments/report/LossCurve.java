package org.diffusion4j.experiments.report;

import org.diffusion4j.experiments.run.MetricsLog;

import java.util.List;
import java.util.Locale;

/**
 * The training loss against the step as an inline SVG: a polyline on a log10 loss axis (losses of
 * diffusion objectives fall over orders of magnitude), with the axes' ranges written as labels.
 * Non-finite or non-positive losses are left out of the line.
 */
public final class LossCurve {
    static final int WIDTH = 640, HEIGHT = 240, MARGIN = 48;

    private LossCurve() { }

    public static String svg(List<MetricsLog.Entry> entries) {
        List<MetricsLog.Entry> points = entries.stream().filter(e -> Double.isFinite(e.loss()) && e.loss() > 0).toList();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"training loss\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n",
                MARGIN, MARGIN / 2, WIDTH - 2 * MARGIN + MARGIN / 2, HEIGHT - MARGIN - MARGIN / 2));
        if (points.isEmpty()) {
            sb.append("<text x=\"60\" y=\"120\">no finite loss logged</text>\n</svg>");
            return sb.toString();
        }
        long minStep = points.get(0).step(), maxStep = points.get(points.size() - 1).step();
        double minLog = Double.POSITIVE_INFINITY, maxLog = Double.NEGATIVE_INFINITY;
        for (MetricsLog.Entry e : points) {
            minLog = Math.min(minLog, Math.log10(e.loss()));
            maxLog = Math.max(maxLog, Math.log10(e.loss()));
        }
        if (maxLog - minLog < 1e-12) { minLog -= 0.5; maxLog += 0.5; }
        double stepSpan = Math.max(1, maxStep - minStep);
        double plotW = WIDTH - 1.5 * MARGIN, plotH = HEIGHT - 1.5 * MARGIN;
        sb.append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"");
        for (MetricsLog.Entry e : points) {
            double x = MARGIN + (e.step() - minStep) / stepSpan * plotW;
            double y = MARGIN / 2.0 + (maxLog - Math.log10(e.loss())) / (maxLog - minLog) * plotH;
            sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        sb.append("\"/>\n");
        sb.append(label(MARGIN - 4, MARGIN / 2 + 4, "end", String.format(Locale.ROOT, "%.3g", Math.pow(10, maxLog))));
        sb.append(label(MARGIN - 4, HEIGHT - MARGIN, "end", String.format(Locale.ROOT, "%.3g", Math.pow(10, minLog))));
        sb.append(label(MARGIN, HEIGHT - MARGIN + 16, "start", "step " + minStep));
        sb.append(label(WIDTH - MARGIN / 2, HEIGHT - MARGIN + 16, "end", "step " + maxStep));
        sb.append(label(WIDTH / 2, HEIGHT - 8, "middle", "loss (log scale) against step"));
        sb.append("</svg>");
        return sb.toString();
    }

    private static String label(double x, double y, String anchor, String text) {
        return String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\" text-anchor=\"%s\">%s</text>%n",
                x, y, anchor, Html.escape(text));
    }
}
