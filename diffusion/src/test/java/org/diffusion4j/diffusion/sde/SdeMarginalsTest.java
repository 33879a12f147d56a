package org.diffusion4j.diffusion.sde;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SdeMarginalsTest {
    private final Backend cpu = Backends.cpu();

    @Test
    void vpMarginalsMatchTheClosedForm() {
        VpSde sde = new VpSde(0.1, 20, 1000);
        for (double t : new double[]{0.0, 0.013, 0.3, 0.77, 1.0}) {
            double bigB = 0.1 * t + 0.5 * 19.9 * t * t;
            assertEquals(Math.exp(-bigB / 2), sde.meanScale(t), 1e-14);
            assertEquals(Math.sqrt(1 - Math.exp(-bigB)), sde.std(t), 1e-14);
            assertEquals(-0.5 * (0.1 + 19.9 * t), sde.driftCoefficient(t), 1e-14);
        }
    }

    @Test
    void subVpVarianceIsTheSquareOfOneMinusExpMinusB() {
        SubVpSde sde = new SubVpSde(0.1, 20);
        for (double t : new double[]{0.05, 0.5, 1.0}) {
            double bigB = 0.1 * t + 0.5 * 19.9 * t * t;
            assertEquals(1 - Math.exp(-bigB), sde.std(t), 1e-14);
            assertTrue(sde.std(t) < new VpSde().std(t));
        }
    }

    @Test
    void veStdIsGeometric() {
        VeSde sde = new VeSde(0.01, 50);
        assertEquals(0.01, sde.std(0), 1e-15);
        assertEquals(50, sde.std(1), 1e-12);
        assertEquals(Math.sqrt(0.01 * 50), sde.std(0.5), 1e-12);
    }

    /**
     * The marginal variance v(t) = sigma(t)^2 of a linear SDE started at x0 = 0 solves dv/dt = 2 f(t) v + g(t)^2, and the
     * mean scale solves d alpha/dt = f(t) alpha: checks drift and diffusion against the marginals by central differences.
     */
    @Test
    void driftAndDiffusionAreConsistentWithTheMarginals() {
        for (Sde sde : List.of(new VpSde(), new SubVpSde(), new VeSde(0.01, 50), new EdmSde(80))) {
            for (double frac : new double[]{0.1, 0.37, 0.8}) {
                double t = frac * sde.endTime(), h = 1e-6 * sde.endTime();
                double dv = (sq(sde.std(t + h)) - sq(sde.std(t - h))) / (2 * h);
                double expected = 2 * sde.driftCoefficient(t) * sq(sde.std(t)) + sq(sde.diffusion(t));
                assertEquals(expected, dv, 1e-6 * Math.max(1, Math.abs(expected)), sde + " at t=" + t);
                double da = (sde.meanScale(t + h) - sde.meanScale(t - h)) / (2 * h);
                assertEquals(sde.driftCoefficient(t) * sde.meanScale(t), da, 1e-6, sde + " mean at t=" + t);
            }
        }
    }

    @Test
    void timeOfNoiseLevelInvertsNoiseLevel() {
        for (Sde sde : List.of(new VpSde(), new SubVpSde(), new VeSde(0.01, 50), new EdmSde(80))) {
            for (double frac : new double[]{0.02, 0.5, 0.93}) {
                double t = frac * sde.endTime();
                assertEquals(t, sde.timeOfNoiseLevel(sde.noiseLevel(t)), 1e-9 * sde.endTime(), sde.toString());
            }
        }
    }

    /**
     * Euler-Maruyama simulation of the forward SDE on many particles: the sample mean and variance at time t match
     * alpha(t) m0 and alpha(t)^2 v0 + sigma(t)^2 within 5 standard errors plus the O(dt) discretisation error.
     */
    @Test
    void eulerMaruyamaParticlesReachTheClosedFormMarginals() {
        int n = 20000, steps = 200;
        double m0 = 1.0, s0 = 0.5;
        for (Sde sde : List.of(new VpSde(), new SubVpSde(), new VeSde(0.05, 5))) {
            double t1 = 0.6, dt = t1 / steps;
            // VE's marginal treats the data as carrying noise sigmaMin already at t = 0
            double startNoise = sde instanceof VeSde ve ? ve.sigmaMin() : 0.0;
            Tensor x = Tensor.randn(cpu, DType.F64, 11, 0, n, 1).mul(Math.sqrt(s0 * s0 + startNoise * startNoise)).add(m0);
            for (int i = 0; i < steps; i++) {
                double t = i * dt;
                Tensor z = Tensor.randn(cpu, DType.F64, 1000 + i, 0, n, 1);
                x = Tensor.linearCombination(1 + sde.driftCoefficient(t) * dt, x, sde.diffusion(t) * Math.sqrt(dt), z, 0, null);
            }
            double[] v = x.toDoubleArray();
            double mean = 0, var = 0;
            for (double d : v) mean += d;
            mean /= n;
            for (double d : v) var += (d - mean) * (d - mean);
            var /= n - 1;
            double a = sde.meanScale(t1), s = sde.std(t1);
            double expMean = a * m0, expVar = a * a * s0 * s0 + s * s;
            double meanTol = 5 * Math.sqrt(expVar / n) + 2 * dt * Math.abs(expMean) * 10;
            double varTol = 5 * expVar * Math.sqrt(2.0 / n) + 2 * dt * expVar * 10;
            assertEquals(expMean, mean, meanTol, sde + " mean");
            assertEquals(expVar, var, varTol, sde + " variance");
        }
    }

    @Test
    void priorLogDensityIsTheGaussianLogDensity() {
        VeSde sde = new VeSde(0.01, 3);
        double[] z = {0.3, -1.2, 2.5, 0.0, 1.0, -0.7};
        Tensor lp = sde.priorLogDensity(Tensor.of(cpu, z, 2, 3));
        for (int row = 0; row < 2; row++) {
            double ref = 0;
            for (int j = 0; j < 3; j++) {
                double v = z[row * 3 + j];
                ref += -0.5 * Math.log(2 * Math.PI * 9) - v * v / 18;
            }
            assertEquals(ref, lp.toDoubleArray()[row], 1e-12);
        }
    }

    /**
     * The link of Song et al. 2021, Appendix B: DDPM's linear betas (1e-4 .. 0.02, T = 1000) are beta(t) / N of the VP SDE
     * (0.1 .. 20) at t = i / (N - 1), VpSde's discretisation is exactly DDPM's step, and alpha-bar approaches exp(-B(t)).
     */
    @Test
    void ddpmIsTheDiscretisationOfTheVpSde() {
        VpSde vp = new VpSde(0.1, 20, 1000);
        org.diffusion4j.diffusion.schedule.DiscreteSchedule ddpm = org.diffusion4j.diffusion.schedule.DiscreteSchedule.ddpmLinear();
        Tensor x = Tensor.of(cpu, new double[]{0.7, -1.3}, 2, 1);
        for (int i : new int[]{0, 1, 500, 999}) {
            double t = i / 999.0;
            assertEquals(ddpm.beta(i), vp.beta(t) / 1000, 1e-15);
            Sde.Discretisation d = vp.discretise(x, t, 1.0 / 1000);
            assertEquals(Math.sqrt(ddpm.beta(i)), d.noiseScale(), 1e-15);
            assertArrayEquals(new double[]{(Math.sqrt(1 - ddpm.beta(i)) - 1) * 0.7, (Math.sqrt(1 - ddpm.beta(i)) - 1) * -1.3},
                    d.driftIncrement().toDoubleArray(), 1e-15);
        }
        for (int i : new int[]{99, 499, 999}) {
            double t = (i + 1) / 1000.0;
            assertEquals(Math.exp(-vp.integratedBeta(t)), ddpm.alphaBar(i), 0.08 * ddpm.alphaBar(i), "index " + i);
        }
    }

    @Test
    void badParametersAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new VpSde(0.1, 0.05, 1000));
        assertTrue(e.getMessage().contains("0.05"));
        e = assertThrows(IllegalArgumentException.class, () -> new VeSde(-1, 50));
        assertTrue(e.getMessage().contains("-1"));
    }

    private static double sq(double v) { return v * v; }
}
