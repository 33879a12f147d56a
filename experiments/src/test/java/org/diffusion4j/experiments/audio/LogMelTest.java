package org.diffusion4j.experiments.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class LogMelTest {
    @TempDir Path dir;

    /** The FFT against the DFT's definition summed plainly in float64, on random complex input of each size. */
    @Test void fftMatchesTheDirectDft() {
        Random r = new Random(17);
        for (int n : new int[]{2, 8, 64, 256}) {
            double[] re = new double[n], im = new double[n];
            for (int i = 0; i < n; i++) { re[i] = r.nextGaussian(); im[i] = r.nextGaussian(); }
            double[] fr = re.clone(), fi = im.clone();
            LogMel.fft(fr, fi);
            for (int k = 0; k < n; k++) {
                double sr = 0, si = 0;
                for (int j = 0; j < n; j++) {
                    double a = -2 * Math.PI * k * j / n;
                    sr += re[j] * Math.cos(a) - im[j] * Math.sin(a);
                    si += re[j] * Math.sin(a) + im[j] * Math.cos(a);
                }
                assertEquals(sr, fr[k], 1e-10 * n, "n=" + n + " k=" + k);
                assertEquals(si, fi[k], 1e-10 * n, "n=" + n + " k=" + k);
            }
        }
    }

    /** Each triangle rises from 0 to 1 at its centre and back; they cover the band 0..Nyquist without gaps. */
    @Test void melFiltersAreTrianglesOnTheHtkScale() {
        assertEquals(1000, LogMel.melToHz(LogMel.hzToMel(1000)), 1e-9);
        assertEquals(999.99, LogMel.hzToMel(1000), 0.01);                     // the HTK scale puts 1 kHz at ~1000 mel
        double[][] f = LogMel.melFilters(8000, 256, 64);
        for (int b = 0; b < 64; b++) {
            double max = 0;
            for (double v : f[b]) { assertTrue(v >= 0 && v <= 1); max = Math.max(max, v); }
            assertTrue(max > 0, "band " + b + " sees no FFT bin");
        }
        LogMel mel = new LogMel(8000);
        int checked = 0;
        for (int k = 1; k < 128; k++) {
            double hz = k * 8000.0 / 256;
            if (hz <= mel.centreHz(0) || hz > mel.centreHz(63)) continue;
            checked++;
            double sum = 0;
            for (int b = 0; b < 64; b++) sum += f[b][k];
            assertEquals(1.0, sum, 1e-9, "bins between the first and last centre are split between two triangles, k=" + k);
        }
        assertTrue(checked > 100, "checked " + checked);
    }

    /** A pure tone is loudest in the band whose centre is nearest to it, and its level follows its amplitude. */
    @Test void aToneLightsTheNearestBand() {
        LogMel mel = new LogMel(8000);
        double[] x = new double[8000], y = new double[8000];
        for (int i = 0; i < x.length; i++) { x[i] = Math.sin(2 * Math.PI * 1000 * i / 8000.0); y[i] = 0.5 * x[i]; }
        double[][] s = mel.compute(x), half = mel.compute(y);
        assertEquals(122, s.length);
        assertEquals(64, s[0].length);
        int best = 0, nearest = 0;
        for (int b = 0; b < 64; b++) {
            if (s[60][b] > s[60][best]) best = b;
            if (Math.abs(mel.centreHz(b) - 1000) < Math.abs(mel.centreHz(nearest) - 1000)) nearest = b;
        }
        assertTrue(Math.abs(best - nearest) <= 1, "loudest band " + best + ", nearest centre " + nearest);
        assertEquals(Math.log(4), s[60][best] - half[60][best], 1e-9);      // energy goes with amplitude squared
    }

    @Test void tooShortASignalIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> new LogMel(8000).compute(new double[100]));
        assertTrue(e.getMessage().contains("at least 256 samples, got 100"));
    }

    @Test void spectrogramPicturesPutLowFrequenciesAtTheBottom() throws Exception {
        double[][] m = new double[3][4];
        for (double[] row : m) java.util.Arrays.fill(row, -50);
        m[1][0] = 0;                                     // the lowest band of frame 1 is the maximum
        BufferedImage img = SpectrogramImage.grid(List.of(m, m), 2, 2);
        assertEquals(2 * 3 * 2 + 2, img.getWidth());
        assertEquals(4 * 2, img.getHeight());
        assertEquals(SpectrogramImage.colour(1.0), img.getRGB(2, 7) & 0xffffff);   // frame 1, bottom row
        assertEquals(SpectrogramImage.colour(0.0), img.getRGB(2, 0) & 0xffffff);
        assertEquals(0x000004, SpectrogramImage.colour(-3));
        assertEquals(0xfcfdbf, SpectrogramImage.colour(1));
        SpectrogramImage.writePng(List.<double[][]>of(m), 1, 3, dir.resolve("s.png"));
        assertEquals(9, javax.imageio.ImageIO.read(dir.resolve("s.png").toFile()).getWidth());
    }
}
