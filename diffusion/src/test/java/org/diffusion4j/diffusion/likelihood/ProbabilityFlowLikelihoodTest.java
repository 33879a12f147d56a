package org.diffusion4j.diffusion.likelihood;

import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.sde.Sde;
import org.diffusion4j.diffusion.sde.VeSde;
import org.diffusion4j.diffusion.sde.VpSde;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.RandomKind;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ProbabilityFlowLikelihoodTest {
    private final Backend cpu = Backends.cpu();

    /**
     * Gaussian data under the exact-score Gaussian model: the probability-flow NLL with the exact trace equals the
     * closed-form NLL -log N(x; m, S), averaged over the same points, within 0.5%.
     */
    @Test
    void nllOfGaussianDataMatchesTheClosedForm() {
        GaussianMixture g = AnalyticModels.gaussian2d();
        Tensor x = g.sample(cpu, DType.F64, 200, 12, 0);
        double closed = -g.logDensity(x).mean().item();
        ProbabilityFlowLikelihood lik = new ProbabilityFlowLikelihood(new VpSde(), 1e-5, 1e-5, 1e-5, null);
        ProbabilityFlowLikelihood.Result r = lik.logLikelihood(g, x, 5);
        assertEquals(closed, r.meanNll(), 0.005 * Math.abs(closed), "ODE NLL " + r.meanNll() + " vs closed form " + closed);
        assertTrue(r.nfe() > 10);
    }

    /**
     * With Hutchinson probes the per-sample estimate is unbiased: the mean of (estimate - exact) over samples is zero
     * within 5 standard errors of its own spread, for Rademacher and Gaussian probes, under VP and VE.
     */
    @Test
    void hutchinsonEstimatesAreUnbiasedOnGaussianAndMixtureData() {
        record Case(GaussianMixture g, Sde sde) { }
        for (Case c : new Case[]{new Case(AnalyticModels.gaussian2d(), new VpSde()), new Case(AnalyticModels.eightGaussians(), new VeSde(0.01, 20))}) {
            Tensor x = c.g().sample(cpu, DType.F64, 300, 13, 0);
            double[] exact = c.g().logDensity(x).toDoubleArray();
            for (RandomKind probe : new RandomKind[]{RandomKind.RADEMACHER, RandomKind.NORMAL}) {
                double[] est = new ProbabilityFlowLikelihood(c.sde(), 1e-5, 1e-5, 1e-5, probe).logLikelihood(c.g(), x, 6)
                        .logLikelihood().toDoubleArray();
                double mean = 0, sq = 0;
                for (int i = 0; i < exact.length; i++) { double d = est[i] - exact[i]; mean += d / exact.length; sq += d * d / exact.length; }
                double se = Math.sqrt((sq - mean * mean) / exact.length);
                assertEquals(0.0, mean, 5 * se + 0.005, c.g().name() + " " + c.sde() + " " + probe + ": bias " + mean + ", standard error " + se);
            }
        }
    }

    @Test
    void bitsPerDimAndDequantisation() {
        // an NLL of D ln 2 nats per sample is 1 bit per dimension, plus 7 bits of offset for data in [-1, 1]
        assertEquals(8.0, ProbabilityFlowLikelihood.bitsPerDim(784 * Math.log(2), 784, 2), 1e-12);
        assertEquals(9.0, ProbabilityFlowLikelihood.bitsPerDim(784 * Math.log(2), 784, 1), 1e-12);
        double[] levels = {-1, -1 + 2.0 * 17 / 255, 1};
        Tensor x = Tensor.of(cpu, levels, 1, 3);
        double[] d = ProbabilityFlowLikelihood.dequantise(x, 3).toDoubleArray();
        for (int i = 0; i < 3; i++) {
            double k = Math.round((levels[i] + 1) * 255 / 2);
            assertTrue(d[i] > 2 * k / 256 - 1 && d[i] < 2 * (k + 1) / 256 - 1, "value " + d[i] + " outside bin " + k);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> new ProbabilityFlowLikelihood(new VpSde(), 0, 1e-5, 1e-5, RandomKind.NORMAL));
        assertTrue(e.getMessage().contains("tMin"));
    }
}
