package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.data.FashionMnist;
import org.diffusion4j.experiments.scenes.CaptionParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DataScenesCommandTest {
    @TempDir Path dir;

    @Test void drawsAGridAndPrintsCaptionsThatParse() throws Exception {
        assumeTrue(Files.isDirectory(FashionMnist.folder(null)), "Fashion-MNIST not installed in " + FashionMnist.folder(null));
        Path png = dir.resolve("grid.png");
        CliRun r = CliRun.of("data", "scenes", "--n", "3", "--split", "test", "--held-out", "--columns", "2", "--out", png.toString());
        assertEquals(0, r.exitCode(), r.toString());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(2, img.getWidth() / (32 * 4));   // two columns of 4x canvases (plus margins)
        String[] lines = r.out().split("\n");
        assertEquals(4, lines.length, r.toString());
        for (int i = 0; i < 3; i++) {
            String[] f = lines[i].split("\t");
            assertEquals(String.valueOf(i), f[0]);
            assertEquals(CaptionParser.parse(f[1]).toString(), f[2]);
        }
        assertTrue(lines[3].contains("wrote 3 scenes (test, held-out combinations, seed 0)"), r.toString());
    }

    @Test void badOptionsAreUsageErrorsNamingThem() {
        Path png = dir.resolve("g.png");
        CliRun split = CliRun.of("data", "scenes", "--split", "validation", "--out", png.toString());
        assertEquals(2, split.exitCode(), split.toString());
        assertTrue(split.err().contains("unknown scene split 'validation', expected train or test"), split.toString());
        CliRun held = CliRun.of("data", "scenes", "--held-out", "--out", png.toString());
        assertEquals(2, held.exitCode(), held.toString());
        assertTrue(held.err().contains("--held-out needs --split test"), held.toString());
        CliRun n = CliRun.of("data", "scenes", "--n", "0", "--out", png.toString());
        assertEquals(2, n.exitCode(), n.toString());
        assertTrue(n.err().contains("--n must be positive, got 0"), n.toString());
        CliRun nothing = CliRun.of("data", "scenes");
        assertEquals(2, nothing.exitCode(), nothing.toString());
        assertTrue(nothing.err().contains("give --out GRID.png and/or --score"), nothing.toString());
        assertFalse(Files.exists(png));
    }
}
