package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.sde.EdmSde;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The ODE solvers against closed-form solutions. For 1D Gaussian data N(0, v) under the EDM process sigma(t) = t the
 * probability-flow ODE dx/dt = (x - D(x; t)) / t = x t / (v + t^2) has the solution x(t) = c sqrt(v + t^2), so the map
 * from x(T) to x(tEnd) is known exactly; Euler, Heun and RK4 must converge to it at orders 1, 2 and 4.
 */
class OdeSolverTest {
    private final Backend cpu = Backends.cpu();

    @Test
    void fixedStepMethodsConvergeAtTheirOrder() {
        double v = 0.25, tEnd = 0.05, bigT = 10;
        GaussianMixture g = GaussianMixture.gaussian("1d", new double[]{0}, new double[][]{{v}});
        EdmSde sde = new EdmSde(bigT);
        Tensor z = Tensor.of(cpu, new double[]{1.3, -0.4, 2.1}, 3, 1);
        double[] zs = z.toDoubleArray();
        for (OdeMethod m : OdeMethod.values()) {
            int order = switch (m) { case EULER -> 1; case HEUN -> 2; case RK4 -> 4; };
            double[] errors = new double[2];
            int[] steps = switch (m) { case EULER -> new int[]{400, 800}; case HEUN -> new int[]{40, 80}; case RK4 -> new int[]{100, 200}; };
            for (int k = 0; k < 2; k++) {
                ProbabilityFlowSampler s = new ProbabilityFlowSampler(sde, m, steps[k], tEnd, false);
                SampleResult r = s.sample(g, SampleRequest.of(0, 3, 1).withInitialNoise(z));
                assertEquals((long) steps[k] * m.evaluationsPerStep(), r.nfe());
                double[] x = r.samples().toDoubleArray();
                double err = 0;
                for (int i = 0; i < 3; i++) {
                    double exact = bigT * zs[i] * Math.sqrt(v + tEnd * tEnd) / Math.sqrt(v + bigT * bigT);
                    err = Math.max(err, Math.abs(x[i] - exact));
                }
                errors[k] = err;
            }
            double observedOrder = Math.log(errors[0] / errors[1]) / Math.log(2);
            assertEquals(order, observedOrder, 0.3, m + ": errors " + errors[0] + " -> " + errors[1]);
        }
    }

    @Test
    void dormandPrinceMeetsItsTolerance() {
        // dx/dt = -x t: x(t) = x0 exp(-t^2 / 2), integrated backwards from t = 3 to 0 and forwards again
        Tensor x0 = Tensor.of(cpu, new double[]{1, -2, 0.5}, 3, 1);
        DormandPrince.Result r = DormandPrince.integrate((x, t) -> x.mul(-t), x0, 0, 3, 1e-8, 1e-10);
        double[] x = r.x().toDoubleArray();
        double[] start = x0.toDoubleArray();
        for (int i = 0; i < 3; i++) assertEquals(start[i] * Math.exp(-4.5), x[i], 1e-7 * Math.abs(start[i]));
        assertTrue(r.accepted() > 3);
        DormandPrince.Result back = DormandPrince.integrate((y, t) -> y.mul(-t), r.x(), 3, 0, 1e-8, 1e-10);
        assertArrayEquals(start, back.x().toDoubleArray(), 1e-6);
        DormandPrince.Result loose = DormandPrince.integrate((y, t) -> y.mul(-t), x0, 0, 3, 1e-3, 1e-3);
        assertTrue(loose.evaluations() < r.evaluations());
    }
}
