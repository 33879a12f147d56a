package org.diffusion4j.experiments.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageGridTest {
    @TempDir Path dir;

    @Test
    void pixelsLandWhereTheyBelongAndSurviveThePngRoundTrip() throws IOException {
        // Three 2x3 grey images in a grid of 2 columns: image k pixel (y, x) = -1 + (k*6 + y*3 + x) / 9.
        double[][] imgs = new double[3][6];
        for (int k = 0; k < 3; k++) for (int i = 0; i < 6; i++) imgs[k][i] = -1 + (k * 6 + i) / 9.0;
        Path p = dir.resolve("g.png");
        ImageGrid.writePng(imgs, 1, 2, 3, 2, p);
        BufferedImage back = ImageIO.read(p.toFile());
        assertEquals(2 * (3 + 2) + 2, back.getWidth());
        assertEquals(2 * (2 + 2) + 2, back.getHeight());
        for (int k = 0; k < 3; k++) {
            int ox = 2 + (k % 2) * 5, oy = 2 + (k / 2) * 4;
            for (int y = 0; y < 2; y++) for (int x = 0; x < 3; x++) {
                int expected = (int) Math.round((imgs[k][y * 3 + x] + 1) * 127.5);
                assertEquals(expected, back.getRGB(ox + x, oy + y) & 0xff, "image " + k + " (" + y + "," + x + ")");
            }
        }
    }

    @Test
    void clipsOutOfRangeValues() {
        assertEquals(0, ImageGrid.toByte(-3));
        assertEquals(255, ImageGrid.toByte(2));
        assertEquals(128, ImageGrid.toByte(0.0));
    }

    @Test
    void wrongImageSizeIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> ImageGrid.render(new double[][]{new double[5]}, 1, 2, 3, 1));
        assertEquals(true, e.getMessage().contains("image 0 has 5 values"));
    }
}
