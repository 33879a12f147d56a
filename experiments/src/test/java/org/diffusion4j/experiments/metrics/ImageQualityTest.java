package org.diffusion4j.experiments.metrics;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageQualityTest {

    @Test
    void psnrHandComputed() {
        // MSE = (0.1^2 + 0.2^2 + 0 + 0.1^2) / 4 = 0.015; PSNR = 10 log10(1 / 0.015) = 18.2390874...
        double[] x = {0, 0.5, 1, 0.25}, y = {0.1, 0.3, 1, 0.35};
        assertEquals(18.239087409443187, ImageQuality.psnr(x, y, 1.0), 1e-9);
        assertEquals(Double.POSITIVE_INFINITY, ImageQuality.psnr(x, x, 1.0));
    }

    @Test
    void ssimOfAnImageWithItselfIsOne() {
        double[] img = random(28 * 28, 1);
        assertEquals(1.0, ImageQuality.ssim(img, img, 28, 28, 1.0), 1e-12);
    }

    @Test
    void ssimOfTwoConstantImagesIsTheLuminanceTerm() {
        // Worked example: constant images a and b have zero variance, so SSIM = (2ab + C1) / (a^2 + b^2 + C1).
        double a = 0.2, b = 0.7, c1 = 1e-4;
        double[] x = new double[15 * 13], y = new double[15 * 13];
        java.util.Arrays.fill(x, a);
        java.util.Arrays.fill(y, b);
        assertEquals((2 * a * b + c1) / (a * a + b * b + c1), ImageQuality.ssim(x, y, 15, 13, 1.0), 1e-12);
    }

    @Test
    void ssimOfSingleWindowMatchesDirectFormula() {
        // An 11x11 image has exactly one window: compute the weighted statistics by hand.
        double[] x = random(121, 2), y = random(121, 3);
        double[] w = ImageQuality.gaussianWindow(11, 1.5);
        double mx = 0, my = 0;
        for (int i = 0; i < 121; i++) { mx += w[i] * x[i]; my += w[i] * y[i]; }
        double vx = 0, vy = 0, cxy = 0;
        for (int i = 0; i < 121; i++) {
            vx += w[i] * (x[i] - mx) * (x[i] - mx);
            vy += w[i] * (y[i] - my) * (y[i] - my);
            cxy += w[i] * (x[i] - mx) * (y[i] - my);
        }
        double c1 = 1e-4, c2 = 9e-4;
        double expected = (2 * mx * my + c1) * (2 * cxy + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
        assertEquals(expected, ImageQuality.ssim(x, y, 11, 11, 1.0), 1e-12);
    }

    @Test
    void ssimFallsWithNoise() {
        double[] x = random(28 * 28, 4), y = x.clone();
        Random r = new Random(9);
        for (int i = 0; i < y.length; i++) y[i] += 0.3 * r.nextGaussian();
        assertTrue(ImageQuality.ssim(x, y, 28, 28, 1.0) < 0.9);
    }

    @Test
    void tooSmallImageIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> ImageQuality.ssim(new double[100], new double[100], 10, 10, 1));
        assertTrue(e.getMessage().contains("11x11"));
    }

    static double[] random(int n, long seed) {
        Random r = new Random(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = r.nextDouble();
        return d;
    }
}
