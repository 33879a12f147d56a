package org.diffusion4j.experiments.figures;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One plot: axes (linear or logarithmic), and the marks drawn in data coordinates (lines, dots, arrows), with a
 * title, axis labels and a legend. {@link SvgFigure} lays panels out and writes the SVG.
 */
public final class Panel {
    /** Panel size in SVG pixels, and the margins that hold ticks and labels. */
    static final double WIDTH = 360, HEIGHT = 300, LEFT = 52, RIGHT = 12, TOP = 26, BOTTOM = 40;

    /** The colours of successive series (Okabe &amp; Ito's colour-blind-safe palette). */
    public static final String[] PALETTE = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"};

    private String title;
    private String xLabel = "", yLabel = "";
    private double xMin, xMax, yMin, yMax;
    private boolean xLog, yLog, equalAspect, fixed;
    private final List<String> marks = new ArrayList<>();
    private final List<String[]> legend = new ArrayList<>();   // colour, label
    private final List<double[]> extent = new ArrayList<>();

    public Panel(String title) { this.title = title; }

    public String title() { return title; }

    public Panel retitle(String t) { title = t; return this; }

    public Panel labels(String x, String y) { xLabel = x; yLabel = y; return this; }

    /** Fixes the data range (otherwise it is the extent of what is drawn, padded by 5%). */
    public Panel range(double x0, double x1, double y0, double y1) {
        xMin = x0; xMax = x1; yMin = y0; yMax = y1; fixed = true; return this;
    }

    public Panel logX() { xLog = true; return this; }

    public Panel logY() { yLog = true; return this; }

    /** One unit on x as long as one unit on y (for 2-D data). */
    public Panel equalAspect() { equalAspect = true; return this; }

    // ----------------------------------------------------------------------------- marks (in data coordinates)

    public Panel line(double[] x, double[] y, String colour, double width, String label) {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < x.length; i++) if (Double.isFinite(x[i]) && Double.isFinite(y[i])) pts.add(new double[]{x[i], y[i]});
        extent.addAll(pts);
        marks.add("L" + colour + "|" + width + "|" + encode(pts));
        if (label != null) legend.add(new String[]{colour, label});
        return this;
    }

    public Panel dashedLine(double[] x, double[] y, String colour, double width, String label) {
        line(x, y, colour, width, label);
        marks.set(marks.size() - 1, "D" + marks.get(marks.size() - 1).substring(1));
        return this;
    }

    public Panel dots(double[] x, double[] y, String colour, double radius, double opacity, String label) {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < x.length; i++) if (Double.isFinite(x[i]) && Double.isFinite(y[i])) pts.add(new double[]{x[i], y[i]});
        extent.addAll(pts);
        marks.add("P" + colour + "|" + radius + "|" + opacity + "|" + encode(pts));
        if (label != null) legend.add(new String[]{colour, label});
        return this;
    }

    /** An arrow from (x, y) to (x + dx, y + dy). */
    public Panel arrow(double x, double y, double dx, double dy, String colour) {
        extent.add(new double[]{x, y});
        marks.add("A" + colour + "|" + x + "|" + y + "|" + dx + "|" + dy);
        return this;
    }

    private static String encode(List<double[]> pts) {
        StringBuilder sb = new StringBuilder();
        for (double[] p : pts) sb.append(p[0]).append(',').append(p[1]).append(';');
        return sb.toString();
    }

    // ----------------------------------------------------------------------------- rendering

    private double fx(double v) { return xLog ? Math.log10(v) : v; }

    private double fy(double v) { return yLog ? Math.log10(v) : v; }

    private void resolveRange() {
        if (fixed || extent.isEmpty()) {
            if (!fixed) { xMin = 0; xMax = 1; yMin = 0; yMax = 1; }
            return;
        }
        double a = Double.POSITIVE_INFINITY, b = Double.NEGATIVE_INFINITY, c = a, d = b;
        for (double[] p : extent) {
            if ((xLog && p[0] <= 0) || (yLog && p[1] <= 0)) continue;
            a = Math.min(a, fx(p[0])); b = Math.max(b, fx(p[0])); c = Math.min(c, fy(p[1])); d = Math.max(d, fy(p[1]));
        }
        double px = (b - a) * 0.05 + 1e-12, py = (d - c) * 0.05 + 1e-12;
        a -= px; b += px; c -= py; d += py;
        xMin = xLog ? Math.pow(10, a) : a; xMax = xLog ? Math.pow(10, b) : b;
        yMin = yLog ? Math.pow(10, c) : c; yMax = yLog ? Math.pow(10, d) : d;
    }

    /** The SVG of this panel with its top-left corner at (ox, oy). */
    String render(double ox, double oy) {
        resolveRange();
        double pw = WIDTH - LEFT - RIGHT, ph = HEIGHT - TOP - BOTTOM;
        double x0 = fx(xMin), x1 = fx(xMax), y0 = fy(yMin), y1 = fy(yMax);
        double sx = pw / (x1 - x0), sy = ph / (y1 - y0);
        double offX = 0, offY = 0;
        if (equalAspect) {
            double s = Math.min(sx, sy);
            offX = (pw - s * (x1 - x0)) / 2; offY = (ph - s * (y1 - y0)) / 2;
            sx = sy = s;
        }
        final double fsx = sx, fsy = sy, bx = ox + LEFT + offX, by = oy + TOP + offY + (y1 - y0) * sy;
        java.util.function.DoubleUnaryOperator X = v -> bx + (fx(v) - x0) * fsx;
        java.util.function.DoubleUnaryOperator Y = v -> by - (fy(v) - y0) * fsy;
        StringBuilder sb = new StringBuilder();
        double left = bx, right = bx + (x1 - x0) * sx, top = by - (y1 - y0) * sy, bottom = by;
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" text-anchor=\"middle\" font-weight=\"bold\">%s</text>%n",
                ox + WIDTH / 2, oy + 16, esc(title)));
        sb.append(String.format(Locale.ROOT, "<clipPath id=\"c%d\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/></clipPath>%n",
                System.identityHashCode(this), left, top, right - left, bottom - top));
        ticks(sb, true, x0, x1, X, left, right, top, bottom);
        ticks(sb, false, y0, y1, Y, left, right, top, bottom);
        sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#444\"/>%n",
                left, top, right - left, bottom - top));
        sb.append(String.format(Locale.ROOT, "<g clip-path=\"url(#c%d)\">%n", System.identityHashCode(this)));
        for (String m : marks) sb.append(renderMark(m, X, Y));
        sb.append("</g>\n");
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n",
                (left + right) / 2, oy + HEIGHT - 6, esc(xLabel)));
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 %.1f %.1f)\">%s</text>%n",
                ox + 12, (top + bottom) / 2, ox + 12, (top + bottom) / 2, esc(yLabel)));
        if (!legend.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"112\" height=\"%d\" fill=\"white\" fill-opacity=\"0.85\"/>%n",
                    right - 114, top + 2, 13 * legend.size() + 4));
        }
        for (int i = 0; i < legend.size(); i++) {
            double ly = top + 12 + 13 * i;
            sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"4\" fill=\"%s\"/>"
                            + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\">%s</text>%n",
                    right - 110, ly - 4, legend.get(i)[0], right - 96, ly, esc(legend.get(i)[1])));
        }
        return sb.toString();
    }

    private String renderMark(String m, java.util.function.DoubleUnaryOperator X, java.util.function.DoubleUnaryOperator Y) {
        char kind = m.charAt(0);
        String[] f = m.substring(1).split("\\|");
        StringBuilder sb = new StringBuilder();
        switch (kind) {
            case 'L', 'D' -> {
                sb.append("<polyline fill=\"none\" stroke=\"").append(f[0]).append("\" stroke-width=\"").append(f[1]).append('"');
                if (kind == 'D') sb.append(" stroke-dasharray=\"5,3\"");
                sb.append(" points=\"");
                for (String p : f.length > 2 ? f[2].split(";") : new String[0]) {
                    if (p.isEmpty()) continue;
                    String[] xy = p.split(",");
                    sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", X.applyAsDouble(Double.parseDouble(xy[0])), Y.applyAsDouble(Double.parseDouble(xy[1]))));
                }
                sb.append("\"/>\n");
            }
            case 'P' -> {
                sb.append("<g fill=\"").append(f[0]).append("\" fill-opacity=\"").append(f[2]).append("\">");
                for (String p : f.length > 3 ? f[3].split(";") : new String[0]) {
                    if (p.isEmpty()) continue;
                    String[] xy = p.split(",");
                    sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\"/>", X.applyAsDouble(Double.parseDouble(xy[0])),
                            Y.applyAsDouble(Double.parseDouble(xy[1])), f[1]));
                }
                sb.append("</g>\n");
            }
            case 'A' -> {
                double x = Double.parseDouble(f[1]), y = Double.parseDouble(f[2]), dx = Double.parseDouble(f[3]), dy = Double.parseDouble(f[4]);
                double ax = X.applyAsDouble(x), ay = Y.applyAsDouble(y), bx = X.applyAsDouble(x + dx), by = Y.applyAsDouble(y + dy);
                double len = Math.hypot(bx - ax, by - ay);
                if (len < 1e-9) break;
                double ux = (bx - ax) / len, uy = (by - ay) / len, head = Math.min(4, len * 0.4);
                sb.append(String.format(Locale.ROOT, "<path stroke=\"%s\" fill=\"%s\" stroke-width=\"0.8\" d=\"M%.1f,%.1f L%.1f,%.1f M%.1f,%.1f L%.1f,%.1f L%.1f,%.1f Z\"/>%n",
                        f[0], f[0], ax, ay, bx, by, bx, by, bx - head * ux + head * 0.5 * uy, by - head * uy - head * 0.5 * ux,
                        bx - head * ux - head * 0.5 * uy, by - head * uy + head * 0.5 * ux));
            }
            default -> throw new IllegalStateException("unknown mark " + kind);
        }
        return sb.toString();
    }

    private void ticks(StringBuilder sb, boolean horizontal, double lo, double hi, java.util.function.DoubleUnaryOperator map,
                       double left, double right, double top, double bottom) {
        boolean log = horizontal ? xLog : yLog;
        List<Double> values = new ArrayList<>();
        if (log) {
            // decades, and 2 and 5 times them when the axis spans fewer than three decades
            double[] mantissas = hi - lo < 3 ? new double[]{1, 2, 5} : new double[]{1};
            for (double e = Math.floor(lo); e <= hi + 1e-9; e++) for (double m : mantissas) {
                double v = m * Math.pow(10, e), lv = Math.log10(v);
                if (lv >= lo - 1e-9 && lv <= hi + 1e-9) values.add(v);
            }
        } else {
            double span = hi - lo, raw = span / 5, mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
            for (double v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * span; v += step) values.add(Math.abs(v) < 1e-12 * span ? 0 : v);
        }
        for (double v : values) {
            double p = map.applyAsDouble(v);
            String label = log ? logLabel(v) : trim(v);
            if (horizontal) {
                sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                        + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%s</text>%n", p, top, p, bottom, p, bottom + 13, label));
            } else {
                sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                        + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>%n", left, p, right, p, left - 3, p + 3, label));
            }
        }
    }

    private static String logLabel(double v) {
        long e = (long) Math.floor(Math.log10(v) + 1e-9);
        long m = Math.round(v / Math.pow(10, e));
        if (e >= 0 && e <= 3) return Long.toString(Math.round(v));
        return (m == 1 ? "" : m + "e") + (m == 1 ? "1e" : "") + e;
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.4g", v);
        if (s.contains(".") && !s.contains("e")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s;
    }

    private static String esc(String s) { return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"); }
}
