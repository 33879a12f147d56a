package org.diffusion4j.tensor.cpu;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The hand-written exp: accuracy against Math.exp, special values, and identical bits in vector lanes and scalar tails. */
class VectorMathTest {

    private static double ulps(double expected, double actual) {
        if (expected == actual) return 0;
        return Math.abs(expected - actual) / Math.ulp(expected);
    }

    @Test
    void expIsWithinTwoUlpsOfMathExpOverItsRange() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 100_003;                                   // not a multiple of the vector length: a scalar tail
        double[] x = new double[n], vec = new double[n];
        for (int i = 0; i < n; i++) x[i] = -745 + 1454.7 * r.nextDouble();
        for (int i = 0; i < 2000; i++) x[i] = -1 + 2 * r.nextDouble();   // dense near 0
        VectorMath.exp(x, vec, n);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp(x[i]);
            if (e < Double.MIN_NORMAL) { assertEquals(e, vec[i], 2 * Double.MIN_VALUE, "subnormal exp(" + x[i] + ")"); continue; }
            worst = Math.max(worst, ulps(e, vec[i]));
            assertEquals(Double.doubleToLongBits(VectorMath.exp(x[i])), Double.doubleToLongBits(vec[i]), "vector lane = scalar at " + x[i]);
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulps");
    }

    @Test
    void expSpecialValues() {
        double[] x = {0, -0.0, 1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 709.78, 709.79, -745.2, -744.4, -708.5};
        double[] r = new double[x.length];
        VectorMath.exp(x, r, x.length);
        assertEquals(1.0, r[0]);
        assertEquals(1.0, r[1]);
        assertEquals(Math.E, r[2], Math.ulp(Math.E));
        assertTrue(Double.isNaN(r[3]));
        assertEquals(Double.POSITIVE_INFINITY, r[4]);
        assertEquals(0.0, r[5]);
        assertEquals(Math.exp(709.78), r[6], 2 * Math.ulp(Math.exp(709.78)));
        assertEquals(Double.POSITIVE_INFINITY, r[7]);
        assertEquals(0.0, r[8]);
        assertEquals(Math.exp(-744.4), r[9], Double.MIN_VALUE);
        assertEquals(Math.exp(-708.5), r[10], 2 * Math.ulp(Math.exp(-708.5)));
        for (int i = 0; i < x.length; i++) assertEquals(VectorMath.exp(x[i]), r[i], "scalar = vector at " + x[i]);
    }

    @Test
    void sigmoidAndSiluAreStableAndMatchTheirDefinitions() {
        double[] x = {-1000, -40, -3, -1e-300, 0, 1e-8, 2.5, 40, 1000};
        double[] s = new double[x.length], u = new double[x.length];
        VectorMath.sigmoid(x, s, x.length);
        VectorMath.silu(x, u, x.length);
        for (int i = 0; i < x.length; i++) {
            double ref = x[i] >= 0 ? 1 / (1 + Math.exp(-x[i])) : Math.exp(x[i]) / (1 + Math.exp(x[i]));
            assertEquals(ref, s[i], 4 * Math.ulp(ref) + Double.MIN_VALUE, "sigmoid(" + x[i] + ")");
            assertEquals(x[i] * s[i], u[i], "silu(" + x[i] + ")");
        }
    }
}
