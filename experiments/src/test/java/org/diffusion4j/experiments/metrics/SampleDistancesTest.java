package org.diffusion4j.experiments.metrics;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleDistancesTest {

    @Test
    void slicedWassersteinOfAShiftIsTheMeanProjectedShift() {
        // Shifting a set by v moves every projection by v.u, so SW1 = mean over directions of |v.u|:
        // computed here directly from the same Philox directions.
        double[][] x = gauss(new Random(1), 500), y = new double[500][];
        for (int i = 0; i < 500; i++) y[i] = new double[]{x[i][0] + 1.5, x[i][1] - 0.5};
        double sw = SampleDistances.slicedWasserstein(x, y, 64, 42);
        double expected = 0;
        for (int p = 0; p < 64; p++) {
            double a = org.diffusion4j.tensor.Philox.element(org.diffusion4j.tensor.RandomKind.NORMAL, org.diffusion4j.tensor.DType.F64, 42, p, 0);
            double b = org.diffusion4j.tensor.Philox.element(org.diffusion4j.tensor.RandomKind.NORMAL, org.diffusion4j.tensor.DType.F64, 42, p, 1);
            expected += Math.abs(1.5 * a - 0.5 * b) / Math.hypot(a, b) / 64;
        }
        assertEquals(expected, sw, 1e-9);
    }

    @Test
    void sameDistributionDistancesAreNearZeroAndShiftsAreNot() {
        Random r = new Random(2);
        double[][] a = gauss(r, 400), b = gauss(r, 400), c = gauss(r, 400);
        for (double[] row : c) row[0] += 2;
        // Unbiased MMD^2 and the energy distance have O(1/n) fluctuation around 0 for equal distributions.
        assertTrue(Math.abs(SampleDistances.mmdRbf(a, b, 1.0)) < 0.01);
        assertTrue(SampleDistances.mmdRbf(a, c, 1.0) > 0.3);
        assertTrue(Math.abs(SampleDistances.energyDistance(a, b)) < 0.03);
        assertTrue(SampleDistances.energyDistance(a, c) > 1.0);
    }

    @Test
    void mmdMatchesPlainFormulaOnTinySets() {
        double[][] x = {{0, 0}, {1, 0}}, y = {{0, 1}, {2, 2}};
        double k = Math.exp(-1 / 2.0);
        double kxx = 2 * k;                                  // |x0-x1|^2 = 1
        double kyy = 2 * Math.exp(-5 / 2.0);                 // |y0-y1|^2 = 5
        double kxy = Math.exp(-0.5) + Math.exp(-4) + Math.exp(-1) + Math.exp(-2.5);
        assertEquals(kxx / 2 + kyy / 2 - 2 * kxy / 4, SampleDistances.mmdRbf(x, y, 1.0), 1e-12);
    }

    static double[][] gauss(Random r, int n) {
        double[][] d = new double[n][2];
        for (double[] row : d) { row[0] = r.nextGaussian(); row[1] = r.nextGaussian(); }
        return d;
    }
}
