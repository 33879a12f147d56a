package org.diffusion4j.diffusion.param;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.schedule.MarginalProcess;
import org.diffusion4j.diffusion.sde.VeSde;
import org.diffusion4j.diffusion.sde.VpSde;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

@SuppressWarnings("try") // Init and NoGrad blocks act by being open
class ParameterisationTest {
    private final Backend cpu = Backends.cpu();
    private static final List<Parameterisation> ALL = List.of(Parameterisation.EPSILON, Parameterisation.X0, Parameterisation.V,
            Parameterisation.SCORE, Parameterisation.edm(0.5));

    /** Per-sample a, s of shape [17, 1]: VP-like pairs for the first rows and unconstrained pairs (VE, sub-VP-like) after. */
    private Tensor[] scales() {
        int n = 17;
        double[] a = new double[n], s = new double[n];
        for (int i = 0; i < n; i++) {
            double th = 0.05 + 1.4 * i / n;
            a[i] = i < 9 ? Math.cos(th) : 0.3 + 0.05 * i;
            s[i] = i < 9 ? Math.sin(th) : 0.02 + 0.3 * i;
        }
        return new Tensor[]{Tensor.of(cpu, a, n, 1), Tensor.of(cpu, s, n, 1)};
    }

    @Test
    void theTargetMapsToTheCleanDataAndOutputForInvertsDenoised() {
        Tensor[] as = scales();
        Tensor a = as[0], s = as[1];
        Tensor x0 = Tensor.randn(cpu, DType.F64, 1, 0, 17, 3), eps = Tensor.randn(cpu, DType.F64, 2, 0, 17, 3);
        Tensor xt = x0.mul(a).add(eps.mul(s));
        Tensor f = Tensor.randn(cpu, DType.F64, 3, 0, 17, 3);
        try (NoGrad g = NoGrad.enter()) {
            for (Parameterisation p : ALL) {
                Tensor d = p.denoised(Variable.constant(p.target(x0, eps, a, s)), Variable.constant(xt), a, s).value();
                assertArrayEquals(x0.toDoubleArray(), d.toDoubleArray(), 1e-9, p + ": D(target) must be x0");
                Tensor back = p.outputFor(p.denoised(Variable.constant(f), Variable.constant(xt), a, s), Variable.constant(xt), a, s).value();
                assertArrayEquals(f.toDoubleArray(), back.toDoubleArray(), 1e-9, p + ": outputFor inverts denoised");
            }
        }
    }

    @Test
    void errorScaleConvertsTheOutputErrorToTheDenoisedError() {
        Tensor[] as = scales();
        Tensor a = as[0], s = as[1];
        double[] av = a.toDoubleArray(), sv = s.toDoubleArray();
        Tensor x0 = Tensor.randn(cpu, DType.F64, 4, 0, 17, 3), eps = Tensor.randn(cpu, DType.F64, 5, 0, 17, 3);
        Tensor xt = x0.mul(a).add(eps.mul(s));
        Tensor f = Tensor.randn(cpu, DType.F64, 6, 0, 17, 3);
        try (NoGrad g = NoGrad.enter()) {
            for (Parameterisation p : ALL) {
                double[] dErr = p.denoised(Variable.constant(f), Variable.constant(xt), a, s).value().sub(x0).square().sum(false, 1).toDoubleArray();
                double[] fErr = f.sub(p.target(x0, eps, a, s)).square().sum(false, 1).toDoubleArray();
                for (int i = 0; i < 17; i++) {
                    assertEquals(dErr[i], p.denoisedErrorScale(av[i], sv[i]) * fErr[i], 1e-9 * Math.max(1, dErr[i]), p + " row " + i);
                }
            }
        }
    }

    @Test
    void edmMatchesKarrasTable1OnVarianceExplodingData() {
        double sd = 0.5, sigma = 1.7;
        Parameterisation edm = Parameterisation.edm(sd);
        Tensor one = Tensor.full(cpu, DType.F64, 1, 1, 1), sig = Tensor.full(cpu, DType.F64, sigma, 1, 1);
        Tensor x = Tensor.randn(cpu, DType.F64, 7, 0, 1, 5), f = Tensor.randn(cpu, DType.F64, 8, 0, 1, 5);
        double cSkip = sd * sd / (sigma * sigma + sd * sd), cOut = sigma * sd / Math.sqrt(sigma * sigma + sd * sd);
        double cIn = 1 / Math.sqrt(sigma * sigma + sd * sd);
        try (NoGrad g = NoGrad.enter()) {
            assertArrayEquals(x.mul(cIn).toDoubleArray(), edm.networkInput(Variable.constant(x), one, sig).value().toDoubleArray(), 1e-12);
            assertArrayEquals(x.mul(cSkip).add(f.mul(cOut)).toDoubleArray(),
                    edm.denoised(Variable.constant(f), Variable.constant(x), one, sig).value().toDoubleArray(), 1e-12);
        }
        assertEquals(cOut * cOut, edm.denoisedErrorScale(1, sigma), 1e-12);
    }

    /** A network that outputs each parameterisation's exact answer, wrapped as a denoiser, equals the exact denoiser. */
    @Test
    void networkDenoiserRecoversTheExactDenoiserForEveryParameterisation() {
        GaussianMixture g = AnalyticModels.eightGaussians();
        Tensor y = Tensor.randn(cpu, DType.F64, 9, 0, 5, 2).mul(2);
        for (MarginalProcess process : List.of(new VpSde(), new VeSde(0.01, 50), DiscreteSchedule.cosine(1000))) {
            for (Parameterisation p : List.of(Parameterisation.EPSILON, Parameterisation.X0, Parameterisation.V, Parameterisation.SCORE)) {
                NetworkDenoiser d = new NetworkDenoiser(new OracleNetwork(g, p, process), p, process, NoiseConditioning.time(1));
                for (double frac : new double[]{0.1, 0.5, 0.9}) {
                    double t = process instanceof DiscreteSchedule ds ? frac * (ds.steps() - 1) : frac;
                    double sigma = process.noiseLevel(t);
                    assertArrayEquals(g.denoise(y, sigma).toDoubleArray(), d.denoise(y, sigma).toDoubleArray(), 1e-7,
                            p + " on " + process + " at sigma " + sigma);
                }
            }
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Parameterisation.byName("flow"));
        assertTrue(e.getMessage().contains("flow"));
    }
}
