package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.ddpm.ReverseVariance;
import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.model.MixtureChecks;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.schedule.NoiseLevels;
import org.diffusion4j.diffusion.schedule.TimestepSpacing;
import org.diffusion4j.diffusion.sde.Sde;
import org.diffusion4j.diffusion.sde.SubVpSde;
import org.diffusion4j.diffusion.sde.VeSde;
import org.diffusion4j.diffusion.sde.VpSde;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With the exact denoiser of a Gaussian mixture, every sampler must reproduce the mixture's component weights, mean
 * and covariance, within 5 standard errors of the sample size plus a stated allowance for its discretisation bias.
 */
class SamplersReproduceMixturesTest {
    private static final int N = 2000;

    record Case(String label, Sampler sampler, long expectedNfe, double bias) {
        @Override public String toString() { return label; }
    }

    static List<Case> cases() {
        DiscreteSchedule linear = DiscreteSchedule.ddpmLinear();
        Sde vp = new VpSde(), subVp = new SubVpSde(), ve = new VeSde(0.01, 50);
        double[] karras = NoiseLevels.karras(25, 0.002, 80, 7);
        List<Case> c = new ArrayList<>();
        c.add(new Case("ddpm beta-tilde 100 steps", new DdpmSampler(linear, 100, TimestepSpacing.TRAILING, ReverseVariance.BETA_TILDE), 100, 0.03));
        c.add(new Case("ddpm beta 100 steps", new DdpmSampler(linear, 100, TimestepSpacing.LINSPACE, ReverseVariance.BETA), 100, 0.05));
        c.add(new Case("ddim eta 0, 50 steps", new DdimSampler(linear, 50, TimestepSpacing.TRAILING, 0), 50, 0.03));
        c.add(new Case("ddim eta 1, 100 steps", new DdimSampler(linear, 100, TimestepSpacing.LEADING, 1), 100, 0.03));
        c.add(new Case("annealed langevin", new AnnealedLangevinSampler(NoiseLevels.geometric(10, 0.02, 20), 30, 5e-5, true), 601, 0.05));
        c.add(new Case("euler-maruyama vp", new EulerMaruyamaSampler(vp, 200, 1e-3, true), 201, 0.05));
        c.add(new Case("euler-maruyama ve", new EulerMaruyamaSampler(ve, 200, 1e-3, true), 201, 0.05));
        c.add(new Case("pc reverse-diffusion vp, snr 0.16", new PredictorCorrectorSampler(vp, 100, PredictorCorrectorSampler.Predictor.REVERSE_DIFFUSION,
                1, 0.16, 1e-3, true), 201, 0.05));
        c.add(new Case("pc euler-maruyama subvp", new PredictorCorrectorSampler(subVp, 100, PredictorCorrectorSampler.Predictor.EULER_MARUYAMA,
                1, 0.16, 1e-3, true), 201, 0.05));
        c.add(new Case("ode euler vp", new ProbabilityFlowSampler(vp, OdeMethod.EULER, 200, 1e-3, true), 201, 0.05));
        c.add(new Case("ode heun ve", new ProbabilityFlowSampler(ve, OdeMethod.HEUN, 50, 1e-3, true), 101, 0.03));
        c.add(new Case("ode rk4 subvp", new ProbabilityFlowSampler(subVp, OdeMethod.RK4, 25, 1e-3, true), 101, 0.03));
        c.add(new Case("ode rk45 vp", new AdaptiveProbabilityFlowSampler(vp, 1e-4, 1e-4, 1e-3, true), -1, 0.03));
        c.add(new Case("dpm++2m", new DpmSolverPlusPlusSampler(karras, false), 25, 0.03));
        c.add(new Case("dpm++2m sde", new DpmSolverPlusPlusSampler(karras, true), 25, 0.05));
        c.add(new Case("edm heun", EdmHeunSampler.deterministic(karras), 49, 0.03));
        SigmaPath path = SigmaPath.exploding(karras);
        c.add(new Case("euler", new EulerSampler(path), 25, 0.05));
        c.add(new Case("euler-ancestral", new EulerAncestralSampler(path, 1), 25, 0.05));
        c.add(new Case("dpm++3m", new DpmSolverPlusPlusSampler(path, 3, false, true), 25, 0.03));
        c.add(new Case("dpm++3m sde", new DpmSolverPlusPlusSampler(path, 3, true, true), 25, 0.05));
        c.add(new Case("unipc bh2", new UniPcSampler(path, 2, true), 25, 0.03));
        c.add(new Case("lms", new LmsSampler(path, 4), 25, 0.03));
        // on the discrete chain, from the same x_T as DDIM
        var chain = new SamplingProcess.Chain(linear);
        double[] spaced = NoiseLevels.ofTimesteps(linear, TimestepSpacing.TRAILING.timesteps(1000, 20, TimestepSpacing.Family.MULTISTEP),
                org.diffusion4j.diffusion.schedule.SigmaInterpolation.LOG);
        c.add(new Case("dpm++2m on the chain", new DpmSolverPlusPlusSampler(SigmaPath.on(chain, spaced), 2, false, true), 20, 0.03));
        c.add(new Case("unipc on the chain", new UniPcSampler(SigmaPath.on(chain, spaced), 2, true), 20, 0.03));
        c.add(new Case("edm heun churn", new EdmHeunSampler(karras, 40, 0.05, 50, 1.003), 49, 0.03));
        return c;
    }

    static List<Arguments> casesOn2d() {
        List<Arguments> a = new ArrayList<>();
        for (Case c : cases()) a.add(Arguments.of(c));
        return a;
    }

    /** A 3-component mixture in 8 dimensions with random full covariances, well separated means. */
    static GaussianMixture mixture8d() {
        Random r = new Random(8);
        int k = 3, d = 8;
        double[] w = {0.5, 0.3, 0.2};
        double[][] m = new double[k][d];
        double[][][] c = new double[k][d][d];
        for (int i = 0; i < k; i++) {
            double[][] a = new double[d][d];
            for (int p = 0; p < d; p++) { m[i][p] = 2.5 * r.nextGaussian(); for (int q = 0; q < d; q++) a[p][q] = 0.15 * r.nextGaussian(); }
            for (int p = 0; p < d; p++) for (int q = 0; q < d; q++) {
                double s = 0;
                for (int u = 0; u < d; u++) s += a[p][u] * a[q][u];
                c[i][p][q] = s + (p == q ? 0.05 : 0);
            }
        }
        return new GaussianMixture("gmm-8d", w, m, c);
    }

    @ParameterizedTest(name = "{0} on 8gaussians")
    @MethodSource("casesOn2d")
    void reproducesEightGaussians(Case c) {
        run(c, AnalyticModels.eightGaussians(), 1);
    }

    @ParameterizedTest(name = "{0} on an 8D mixture")
    @MethodSource("casesOn2d")
    void reproducesAnEightDimensionalMixture(Case c) {
        run(c, mixture8d(), 2);
    }

    private static void run(Case c, GaussianMixture g, long seed) {
        SampleResult r = c.sampler().sample(g, SampleRequest.of(seed, N, g.dimension()));
        if (c.expectedNfe() >= 0) assertEquals(c.expectedNfe(), r.nfe(), c + ": NFE");
        MixtureChecks.assertMatches(g, r.samples().toDoubleArray(), c.bias());
    }
}
