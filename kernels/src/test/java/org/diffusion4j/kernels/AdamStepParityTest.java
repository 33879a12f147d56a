package org.diffusion4j.kernels;

import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.diffusion4j.kernels.Parity.*;

/** The fused adam_step kernel against the CPU's composition of primitives, over several steps; strided views too. */
class AdamStepParityTest {

    @Test void fusedStepMatchesTheCpuOverSeveralSteps() {
        for (DType t : dtypes()) {
            for (double l2 : new double[]{0, 0.05}) {
                Pair p = random(t, 1, 33, 65), m = random(t, 2, -0.1, 0.1, 33, 65), v = random(t, 3, 0.0, 0.01, 33, 65);
                run(t, l2, p, m, v, false);
            }
        }
    }

    @Test void transposedViewsTakeTheComposedPath() {
        for (DType t : dtypes()) {
            Pair p = random(t, 4, 17, 9), m = random(t, 5, -0.1, 0.1, 17, 9), v = random(t, 6, 0.0, 0.01, 17, 9);
            run(t, 0, p, m, v, true);
        }
    }

    private static void run(DType t, double l2, Pair p, Pair m, Pair v, boolean transposed) {
        double beta1 = 0.9, beta2 = 0.999, lr = 2e-4, eps = 1e-8, shrink = l2 == 0 ? 1 - lr * 0.01 : 1;
        for (int step = 1; step <= 3; step++) {
            Pair g = random(t, 100 + step, -3.0, 3.0, p.cpu().shape());
            double c1 = 1 - Math.pow(beta1, step), c2 = 1 - Math.pow(beta2, step);
            for (boolean onCl : new boolean[]{false, true}) {
                Tensor pp = onCl ? p.cl() : p.cpu(), gg = onCl ? g.cl() : g.cpu(), mm = onCl ? m.cl() : m.cpu(), vv = onCl ? v.cl() : v.cpu();
                if (transposed) { pp = pp.transpose(0, 1); gg = gg.transpose(0, 1); mm = mm.transpose(0, 1); vv = vv.transpose(0, 1); }
                pp.backend().adamStep(pp.view(), gg.view(), mm.view(), vv.view(), l2, beta1, beta2, lr / c1, 1 / Math.sqrt(c2), eps, shrink);
            }
            String what = "adamStep " + t + " l2=" + l2 + (transposed ? " transposed" : "") + " step " + step;
            assertClose(what + " p", p, tol(t) * 10);
            assertClose(what + " m", m, tol(t));
            assertClose(what + " v", v, tol(t));
        }
    }
}
