package org.diffusion4j.experiments.inpaint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class InpaintMaskTest {
    private static int unknown(double[] m) {
        int k = 0;
        for (double v : m) {
            assertTrue(v == 0 || v == 1);
            if (v == 0) k++;
        }
        return k;
    }

    @Test void boxesAndHalvesCoverWhatTheySay() throws IOException {
        double[] centre = InpaintMask.of("center", 1, 28, 28, 0);
        assertEquals(14 * 14, unknown(centre));
        assertEquals(0, centre[7 * 28 + 7], "row 7, column 7 is the box's first pixel");
        assertEquals(1, centre[7 * 28 + 6]);
        assertEquals(0, centre[20 * 28 + 20], "row 20, column 20 is the box's last pixel");
        assertEquals(1, centre[21 * 28 + 20]);
        assertEquals(1, centre[6 * 28 + 7]);
        assertEquals(2 * 5 * 5, unknown(InpaintMask.of("center:5", 2, 9, 9, 0)), "every channel");
        double[] left = InpaintMask.of("left", 1, 4, 5, 0);
        assertArrayEquals(new double[]{0, 0, 1, 1, 1}, java.util.Arrays.copyOfRange(left, 0, 5));
        double[] bottom = InpaintMask.of("bottom", 1, 5, 2, 0);
        assertArrayEquals(new double[]{1, 1, 1, 1, 1, 1, 0, 0, 0, 0}, bottom);
        assertEquals(2 * 4, unknown(InpaintMask.of("right", 1, 4, 4, 0)));
        assertEquals(2 * 4, unknown(InpaintMask.of("top", 1, 4, 4, 0)));
    }

    @Test void randomMasksAreSeededAndNearTheirFraction() throws IOException {
        double[] a = InpaintMask.of("pixels:0.3", 1, 28, 28, 4), b = InpaintMask.of("pixels:0.3", 1, 28, 28, 4);
        assertArrayEquals(a, b);
        // 784 pixels, p = 0.3: mean 235.2, standard deviation 12.8; five of them
        assertEquals(235.2, unknown(a), 64);
        assertFalse(java.util.Arrays.equals(a, InpaintMask.of("pixels:0.3", 1, 28, 28, 5)));
        double[] s = InpaintMask.of("strokes", 1, 28, 28, 1);
        int k = unknown(s);
        assertTrue(k >= 9 && k < 784, k + " stroke pixels");
        assertArrayEquals(s, InpaintMask.of("strokes", 1, 28, 28, 1));
    }

    @Test void aPngMaskIsKnownWhereWhite(@TempDir Path dir) throws IOException {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xffffff);
        img.setRGB(2, 1, 0x808080);
        Path f = dir.resolve("m.png");
        ImageIO.write(img, "png", f.toFile());
        assertArrayEquals(new double[]{1, 0, 0, 0, 0, 1}, InpaintMask.of(f.toString(), 1, 2, 3, 0));
        var e = assertThrows(IllegalArgumentException.class, () -> InpaintMask.of(f.toString(), 1, 3, 3, 0));
        assertTrue(e.getMessage().contains("3x2") && e.getMessage().contains("expected 3x3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> InpaintMask.of("pixels:1.5", 1, 3, 3, 0));
        assertTrue(e.getMessage().contains("(0, 1)"), e.getMessage());
    }

    @Test void nearestFillTakesTheClosestKnownPixel() {
        // 1 x 3 x 3, known: the corners (values 1, 2, 3, 4); the centre is equidistant and takes the first corner
        double[] img = {1, 9, 2, 9, 9, 9, 3, 9, 4}, mask = {1, 0, 1, 0, 0, 0, 1, 0, 1};
        assertArrayEquals(new double[]{1, 1, 2, 1, 1, 2, 3, 3, 4}, NearestFill.fill(img, mask, 1, 3, 3));
    }
}
