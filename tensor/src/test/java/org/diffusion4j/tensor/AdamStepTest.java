package org.diffusion4j.tensor;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Backend#adamStep on the CPU against the update written out in float64, element by element, over several steps. */
class AdamStepTest {

    private static final Backend CPU = Backends.cpu();

    @Test void matchesTheScalarUpdateWithDecoupledDecay() { check(DType.F64, 0.0, 1 - 1e-3 * 0.01, 1e-12); }

    @Test void matchesTheScalarUpdateWithL2Decay() { check(DType.F64, 0.05, 1.0, 1e-12); }

    @Test void float32WithinRounding() { check(DType.F32, 0.05, 1 - 1e-3 * 0.01, 2e-6); }

    private static void check(DType dtype, double l2, double shrink, double tol) {
        int n = 257;
        double beta1 = 0.9, beta2 = 0.999, lr = 1e-3, eps = 1e-8;
        SplittableRandom r = new SplittableRandom(11);
        double[] p = new double[n], m = new double[n], v = new double[n];
        for (int i = 0; i < n; i++) p[i] = r.nextDouble(-1, 1);
        Tensor pt = Tensor.of(CPU, dtype, p.clone(), n), mt = Tensor.zeros(CPU, dtype, n), vt = Tensor.zeros(CPU, dtype, n);
        for (int t = 1; t <= 4; t++) {
            double[] g = new double[n];
            for (int i = 0; i < n; i++) g[i] = r.nextDouble(-2, 2) * (i % 7 == 0 ? 1e-4 : 1);   // some tiny gradients
            double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
            for (int i = 0; i < n; i++) {   // Kingma and Ba (2015), Algorithm 1, with PyTorch's placement of eps
                double gi = (dtype == DType.F32 ? (float) g[i] : g[i]) + l2 * p[i];
                m[i] = beta1 * m[i] + (1 - beta1) * gi;
                v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
                p[i] = shrink * p[i] - lr / c1 * m[i] / (Math.sqrt(v[i]) / Math.sqrt(c2) + eps);
            }
            Tensor gt = Tensor.of(CPU, dtype, g, n);
            CPU.adamStep(pt.view(), gt.view(), mt.view(), vt.view(), l2, beta1, beta2, lr / c1, 1 / Math.sqrt(c2), eps, shrink);
            // F32 stores m and v rounded after each step, and m = b1 m + (1 - b1) g cancels: compare against the
            // terms' size (about 1e-2 here), not only the result's.
            double floor = dtype == DType.F32 ? 1e-2 : 1e-6;
            assertClose("p after step " + t, p, pt.toDoubleArray(), tol, floor);
            assertClose("m after step " + t, m, mt.toDoubleArray(), tol, floor);
            assertClose("v after step " + t, v, vt.toDoubleArray(), tol, floor * floor);
        }
    }

    private static void assertClose(String what, double[] expected, double[] actual, double tol, double floor) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * (Math.abs(expected[i]) + floor), what + ", element " + i);
        }
    }
}
