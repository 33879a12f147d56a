package org.diffusion4j.experiments.metrics;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelInceptionDistanceTest {

    @Test
    void unbiasedForSameDistribution() {
        // Across 20 seeds of same-distribution sets, the mean estimate must be within 3 standard errors of 0.
        int seeds = 20;
        double[] est = new double[seeds];
        for (int s = 0; s < seeds; s++) {
            Random r = new Random(100 + s);
            double[][] x = FrechetDistanceTest.randomRows(r, 200, 8), y = FrechetDistanceTest.randomRows(r, 200, 8);
            est[s] = KernelInceptionDistance.compute(x, y, 5, 100, s).mean();
        }
        double mean = 0, var = 0;
        for (double e : est) mean += e / seeds;
        for (double e : est) var += (e - mean) * (e - mean) / (seeds - 1);
        double se = Math.sqrt(var / seeds);
        assertTrue(Math.abs(mean) < 3 * se, "mean KID " + mean + " is not within 3 SE (" + se + ") of 0");
    }

    @Test
    void detectsAShift() {
        Random r = new Random(5);
        double[][] x = FrechetDistanceTest.randomRows(r, 200, 8), y = FrechetDistanceTest.randomRows(r, 200, 8);
        for (double[] row : y) row[0] += 3.0;
        var res = KernelInceptionDistance.compute(x, y, 10, 100, 1);
        assertTrue(res.mean() > 5 * res.standardError(), "KID " + res);
    }

    @Test
    void estimatorMatchesPlainFormula() {
        double[][] x = {{1, 0}, {0, 1}, {1, 1}}, y = {{0, 0}, {2, 1}, {-1, 1}};
        int[] id = {0, 1, 2};
        double kxx = 0, kyy = 0, kxy = 0;
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) {
            if (i != j) {
                kxx += Math.pow((x[i][0] * x[j][0] + x[i][1] * x[j][1]) / 2 + 1, 3);
                kyy += Math.pow((y[i][0] * y[j][0] + y[i][1] * y[j][1]) / 2 + 1, 3);
            }
            kxy += Math.pow((x[i][0] * y[j][0] + x[i][1] * y[j][1]) / 2 + 1, 3);
        }
        double expected = kxx / 6 + kyy / 6 - 2 * kxy / 9;
        assertEquals(expected, KernelInceptionDistance.unbiasedMmd2(x, id, y, id, 2), 1e-12);
    }
}
