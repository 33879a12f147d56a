package org.diffusion4j.experiments.report;

import org.diffusion4j.experiments.run.MetricsLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class ReportPageTest {
    @Test
    void pageIsSelfContainedWithCurveImagesAndEscapedConfig(@TempDir Path dir) throws IOException {
        List<MetricsLog.Entry> entries = new ArrayList<>();
        for (int s = 1; s <= 33; s++) entries.add(new MetricsLog.Entry(s, 1.0 / s, 1e-3, 1, s));
        entries.add(new MetricsLog.Entry(34, Double.NaN, 1e-3, 1, 34));
        BufferedImage img = ScatterPlot.render(new double[][]{{0, 0}, {1, -1}, {99, 0}}, 2.0, 64);
        String html = new ReportPage("run <x>").text("a & b").lossCurve(entries)
                .figures("Samples", List.of(new ReportPage.Figure("step 1", Html.png(img))))
                .config("{\"name\": \"<script>\"}").html();
        Path file = dir.resolve("report.html");
        new ReportPage("t").write(file);
        assertTrue(Files.readString(file).startsWith("<!DOCTYPE html>"));

        assertFalse(html.contains("<script"), "config text must be escaped");
        assertTrue(html.contains("&lt;script&gt;"));
        assertTrue(html.contains("run &lt;x&gt;") && html.contains("a &amp; b"));
        assertFalse(Pattern.compile("(src|href)=\"(?!data:)").matcher(html).find(), "no link to another file");
        // The polyline has one point per finite loss: 33.
        Matcher poly = Pattern.compile("points=\"([^\"]*)\"").matcher(html);
        assertTrue(poly.find());
        String[] points = poly.group(1).trim().split(" ");
        assertEquals(33, points.length);
        // The first point (largest loss) is at the top, the last (smallest) at the bottom of the plot.
        double yFirst = Double.parseDouble(points[0].split(",")[1]), yLast = Double.parseDouble(points[32].split(",")[1]);
        assertTrue(yFirst < yLast);
        // The embedded image decodes back to the plot.
        Matcher data = Pattern.compile("data:image/png;base64,([A-Za-z0-9+/=]+)").matcher(html);
        assertTrue(data.find());
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(data.group(1))));
        assertEquals(64, back.getWidth());
        assertEquals(img.getRGB(10, 10), back.getRGB(10, 10));
    }

    @Test
    void scatterPlotPutsPointsWhereTheyBelongAndMarksOutliersRed() {
        // (0,0) is the centre; (2,2) is the top-right corner of the window [-2,2]^2; (50,0) is outside.
        BufferedImage img = ScatterPlot.render(new double[][]{{1, 1}, {50, 0}}, 2.0, 65);
        int inside = img.getRGB(48, 16) & 0xffffff;   // (1,1) maps to x = 3/4 * 64 = 48, y = 1/4 * 64 = 16
        assertNotEquals(0xffffff, inside, "point (1,1) should be drawn at pixel (48,16)");
        int edge = img.getRGB(64, 32) & 0xffffff;
        assertTrue(((edge >> 16) & 0xff) > 150 && (edge & 0xff) < 100, "outlier is drawn red on the edge, got " + Integer.toHexString(edge));
        assertEquals(0xffffff, img.getRGB(5, 60) & 0xffffff);
        assertThrows(IllegalArgumentException.class, () -> ScatterPlot.render(new double[][]{{1, 2, 3}}, 2, 64));
    }

    @Test
    void evaluationRecordsBecomeATableAndTrainingLinesStayInTheCurve(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        try (MetricsLog log = new MetricsLog(file)) {
            log.append(new MetricsLog.Entry(1, 0.5, 1e-4, 1, 0.1));
        }
        Files.writeString(file, "{\"step\":1,\"kind\":\"eval\",\"sampler\":\"ddim\",\"nfe\":50,\"fd_fmnist\":12.5}\n"
                + "{\"step\":2,\"kind\":\"eval\",\"sampler\":\"<ddpm>\",\"kid\":0.01}\n", java.nio.file.StandardOpenOption.APPEND);
        var records = MetricsLog.records(file, "eval");
        assertEquals(2, records.size());
        assertEquals(1, MetricsLog.read(file).size(), "evaluations are not training entries");
        String html = new ReportPage("t").table("Evaluations", records).html();
        assertTrue(html.contains("<th>step</th><th>sampler</th><th>nfe</th><th>fd_fmnist</th><th>kid</th>"), html);
        assertTrue(html.contains("<td>12.5</td>"));
        assertTrue(html.contains("&lt;ddpm&gt;"), "values are escaped");
        assertFalse(html.contains("<th>kind</th>"));
    }
}
