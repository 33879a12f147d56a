package org.diffusion4j.experiments.figures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Panels laid out in a grid of the given number of columns, written as one SVG file. */
public final class SvgFigure {
    private SvgFigure() { }

    public static String render(List<Panel> panels, int columns, String caption) {
        int rows = (panels.size() + columns - 1) / columns;
        int cols = Math.min(columns, panels.size());
        double w = cols * Panel.WIDTH, h = rows * Panel.HEIGHT + (caption == null ? 0 : 20);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\""
                + " font-family=\"sans-serif\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", w, h, w, h));
        for (int i = 0; i < panels.size(); i++) {
            sb.append(panels.get(i).render((i % columns) * Panel.WIDTH, (i / columns) * Panel.HEIGHT));
        }
        if (caption != null) {
            sb.append(String.format(Locale.ROOT, "<text x=\"6\" y=\"%.0f\" font-size=\"10\" fill=\"#555\">%s</text>%n", h - 6,
                    caption.replace("&", "&amp;").replace("<", "&lt;")));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    public static void write(Path out, List<Panel> panels, int columns, String caption) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(out, render(panels, columns, caption), StandardCharsets.UTF_8);
    }
}
