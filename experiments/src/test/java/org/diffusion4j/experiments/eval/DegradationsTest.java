package org.diffusion4j.experiments.eval;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class DegradationsTest {

    @Test
    void blurOfAnInteriorPointIsTheOuterProductOfTheNormalisedGaussian() {
        double sigma = 1.3;
        double[] delta = new double[784];
        delta[13 * 28 + 11] = 1;
        double[] out = Degradations.blur(new double[][]{delta}, sigma)[0];
        int r = (int) Math.ceil(3 * sigma);
        double z = 0;
        for (int i = -r; i <= r; i++) z += Math.exp(-i * i / (2 * sigma * sigma));
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int dy = y - 13, dx = x - 11;
                double expected = Math.abs(dy) > r || Math.abs(dx) > r ? 0
                        : Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma)) / (z * z);
                assertEquals(expected, out[y * 28 + x], 1e-15, "pixel " + y + "," + x);
            }
        }
    }

    @Test
    void blurKeepsConstantImagesAndTheMeanAwayFromBorders() {
        double[] c = new double[784];
        java.util.Arrays.fill(c, -0.37);
        for (double v : Degradations.blur(new double[][]{c}, 2.0)[0]) assertEquals(-0.37, v, 1e-14);
        assertThrows(IllegalArgumentException.class, () -> Degradations.blur(new double[][]{c}, 0));
    }

    @Test
    void noiseHasTheClippedNormalsStatistics() {
        int n = 50;
        double[][] noise = Degradations.gaussianNoise(n, 7);
        int count = n * 784, clipped = 0;
        double sum = 0;
        for (double[] img : noise) for (double v : img) {
            assertTrue(v >= -1 && v <= 1);
            if (Math.abs(v) == 1) clipped++;
            sum += v;
        }
        // P(|Z| > 1) = 0.31731; binomial standard error sqrt(p(1-p)/count) ~ 0.0024 for 39,200 pixels: 5 SE
        assertEquals(0.31731, clipped / (double) count, 5 * Math.sqrt(0.31731 * 0.68269 / count));
        // clipped normal: mean 0, variance below 1: 5 SE of the mean
        assertEquals(0, sum / count, 5 / Math.sqrt(count));
        assertArrayEquals(noise[3], Degradations.gaussianNoise(n, 7)[3], "same seed, same noise");
    }

    @Test
    void addedNoiseIsClippedAndScaledBySigma() {
        Random r = new Random(5);
        double[][] img = new double[20][784];
        for (double[] row : img) for (int j = 0; j < 784; j++) row[j] = 0.6 * (2 * r.nextDouble() - 1);
        double[][] noisy = Degradations.addNoise(img, 0.1, 3);
        double sq = 0;
        int count = 0;
        for (int i = 0; i < img.length; i++) for (int j = 0; j < 784; j++) {
            assertTrue(noisy[i][j] >= -1 && noisy[i][j] <= 1);
            double d = noisy[i][j] - img[i][j];
            if (Math.abs(noisy[i][j]) < 1) { sq += d * d; count++; }
        }
        // |x| <= 0.6, so clipping needs |z| > 4: the unclipped differences have variance 0.01 (chi-square, 5 SE)
        assertEquals(0.01, sq / count, 5 * 0.01 * Math.sqrt(2.0 / count));
    }
}
