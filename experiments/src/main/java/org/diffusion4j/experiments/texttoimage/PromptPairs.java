package org.diffusion4j.experiments.texttoimage;

import org.diffusion4j.experiments.io.ImageGrid;
import org.diffusion4j.experiments.report.ReportPage;

import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prompt/sample pairs of a text-to-image run: samples/prompts.txt (prompt i on line i) and samples/prompt-i.png (the
 * sample drawn for it, 4x enlarged), written with the last sample grid and shown by the run's report.
 */
public final class PromptPairs {
    private static final int SCALE = 4;

    private PromptPairs() { }

    public static void write(Path samples, List<String> prompts, double[][] rows, int[] sampleShape) throws IOException {
        if (prompts.size() != rows.length) throw new IllegalArgumentException(prompts.size() + " prompts for " + rows.length + " samples");
        Files.createDirectories(samples);
        Files.write(samples.resolve("prompts.txt"), prompts, StandardCharsets.UTF_8);
        for (int i = 0; i < rows.length; i++) {
            BufferedImage one = ImageGrid.render(new double[][]{rows[i]}, sampleShape[0], sampleShape[1], sampleShape[2], 1);
            ImageGrid.writePng(enlarged(one), samples.resolve("prompt-" + i + ".png"));
        }
    }

    /** The pairs in a run's samples folder, as report figures captioned by their prompts; empty when there are none. */
    public static List<ReportPage.Figure> figures(Path samples) throws IOException {
        Path file = samples.resolve("prompts.txt");
        if (!Files.exists(file)) return List.of();
        List<String> prompts = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<ReportPage.Figure> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            Path png = samples.resolve("prompt-" + i + ".png");
            if (Files.exists(png)) out.add(new ReportPage.Figure(prompts.get(i), Files.readAllBytes(png)));
        }
        return out;
    }

    private static BufferedImage enlarged(BufferedImage img) {
        BufferedImage big = new BufferedImage(img.getWidth() * SCALE, img.getHeight() * SCALE, img.getType());
        var g = big.createGraphics();
        g.drawImage(img.getScaledInstance(big.getWidth(), big.getHeight(), Image.SCALE_FAST), 0, 0, null);
        g.dispose();
        return big;
    }
}
