package org.diffusion4j.experiments.generators;

import org.diffusion4j.autograd.GradCheck;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Leaky ReLU and softplus against float64 loops of their definitions, and their gradients by central differences. */
class ActivationsTest {
    /** 17 values in (-3, 3) kept at least 0.05 from the kink of leaky ReLU at 0, plus a large and a very negative one. */
    private static double[] inputs() {
        double[] x = new double[19];
        for (int i = 0; i < 17; i++) {
            double v = Math.sin(1.7 * i + 0.3) * 3;
            x[i] = Math.abs(v) < 0.05 ? 0.37 : v;
        }
        x[17] = 40;
        x[18] = -40;
        return x;
    }

    private static void check(Backend backend) {
        double[] x = inputs();
        Tensor t = Tensor.of(backend, DType.F64, x, x.length);
        double[] leaky = Activations.leakyRelu(Variable.constant(t), 0.2).value().toDoubleArray();
        double[] soft = Activations.softplus(Variable.constant(t)).value().toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] > 0 ? x[i] : 0.2 * x[i], leaky[i], 1e-15, "leaky at " + x[i]);
            // log1p(exp(x)) is exact enough in float64 for |x| <= 40 (exp(40) ~ 2e17 has no overflow)
            assertEquals(Math.log1p(Math.exp(x[i])), soft[i], 1e-14 * Math.max(1, Math.abs(x[i])), "softplus at " + x[i]);
        }
        // Gradients: the non-contiguous view (every other element) of a [2, 19] tensor, as in the design's testing rules.
        double[] twice = new double[2 * x.length];
        for (int i = 0; i < x.length; i++) { twice[2 * i] = x[i]; twice[2 * i + 1] = -x[i] / 2 + 0.11; }
        Tensor wide = Tensor.of(backend, DType.F64, twice, x.length, 2);
        GradCheck.check(1e-6, v -> Activations.leakyRelu(v[0].transpose(0, 1).narrow(0, 0, 1), 0.2).square(), wide);
        GradCheck.check(1e-6, v -> Activations.softplus(v[0].transpose(0, 1).narrow(0, 0, 1)).square(), wide);
    }

    @Test void matchDefinitionsAndCentralDifferencesOnTheCpu() { check(Backends.cpu()); }

    @Test void matchDefinitionsAndCentralDifferencesOnOpenCl() { check(OpenClForTests.backend()); }

    @Test void slopeOutsideTheUnitIntervalIsRejected() {
        Variable x = Variable.constant(Tensor.of(Backends.cpu(), DType.F64, new double[]{1}, 1));
        assertEquals("leaky ReLU slope must be in [0, 1), got 1.5",
                assertThrows(IllegalArgumentException.class, () -> Activations.leakyRelu(x, 1.5)).getMessage());
    }
}
