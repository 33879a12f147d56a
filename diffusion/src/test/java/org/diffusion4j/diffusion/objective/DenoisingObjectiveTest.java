package org.diffusion4j.diffusion.objective;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.param.NoiseConditioning;
import org.diffusion4j.diffusion.param.OracleNetwork;
import org.diffusion4j.diffusion.param.Parameterisation;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.schedule.NoiseLevels;
import org.diffusion4j.diffusion.sde.EdmSde;
import org.diffusion4j.diffusion.sde.VeSde;
import org.diffusion4j.diffusion.sde.VpSde;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Gaussian data x_0 ~ N(m, diag(v)) and a perfectly trained network: the expected loss of each sample given its
 * time t is w(t) / errorScale(t) times the mean over dimensions of the posterior variance v sigma^2 / (v + sigma^2)
 * (|F - target|^2 = |D - x_0|^2 / errorScale). Each objective's Monte Carlo loss must match within 5 standard errors.
 */
@SuppressWarnings("try") // Init and NoGrad blocks act by being open
class DenoisingObjectiveTest {
    private final Backend cpu = Backends.cpu();
    private final double[] mean = {0.4, -1.0};
    private final double[] var = {0.3, 1.2};
    private final GaussianMixture data = GaussianMixture.gaussian("diag", mean, new double[][]{{0.3, 0}, {0, 1.2}});

    private void check(String label, DenoisingObjective objective, NoiseLevelSampler levels, Weighting weighting) {
        int n = 600;
        long seed = 31;
        Tensor x0 = data.sample(cpu, DType.F64, n, 3, 0);
        OracleNetwork oracle = new OracleNetwork(data, objective.parameterisation(), objective.process());
        double[] terms;
        try (NoGrad g = NoGrad.enter()) {
            terms = objective.lossTerms(oracle, x0, null, seed).value().toDoubleArray();
        }
        double[] t = levels.times(objective.process(), n, seed);
        double sumDiff = 0, sumSq = 0, sumExpected = 0;
        for (int i = 0; i < n; i++) {
            double a = objective.process().meanScale(t[i]), s = objective.process().std(t[i]), sigma2 = (s / a) * (s / a);
            double post = 0;
            for (double v : var) post += v * sigma2 / (v + sigma2) / var.length;
            double scale = objective.parameterisation().denoisedErrorScale(a, s);
            double expected = weighting.weight(t[i], a, s, scale) / scale * post;
            double diff = terms[i] - expected;
            sumDiff += diff;
            sumSq += diff * diff;
            sumExpected += expected;
        }
        double meanDiff = sumDiff / n, se = Math.sqrt((sumSq / n - meanDiff * meanDiff) / n);
        assertTrue(Math.abs(meanDiff) <= 5 * se + 1e-12, label + ": loss " + (sumExpected / n + meanDiff) + " vs expected "
                + sumExpected / n + " (standard error " + se + ")");
        assertTrue(se > 0, label + ": the loss terms must be random");
    }

    @Test
    void ddpmEpsilonLossMatchesTheClosedForm() {
        DiscreteSchedule s = DiscreteSchedule.ddpmLinear();
        check("ddpm eps", DenoisingObjective.ddpm(s, Parameterisation.EPSILON, Weighting.simple()),
                NoiseLevelSampler.uniformTimestep(1000), Weighting.simple());
    }

    @Test
    void vPredictionWithMinSnrMatchesTheClosedForm() {
        DiscreteSchedule s = DiscreteSchedule.cosine(1000);
        check("v min-snr", DenoisingObjective.ddpm(s, Parameterisation.V, Weighting.minSnr(5)),
                NoiseLevelSampler.uniformTimestep(1000), Weighting.minSnr(5));
    }

    @Test
    void x0LossMatchesTheClosedForm() {
        DiscreteSchedule s = DiscreteSchedule.ddpmLinear();
        check("x0", DenoisingObjective.ddpm(s, Parameterisation.X0, Weighting.simple()), NoiseLevelSampler.uniformTimestep(1000), Weighting.simple());
    }

    @Test
    void ncsnDenoisingScoreMatchingMatchesTheClosedForm() {
        double[] sigmas = NoiseLevels.geometric(5, 0.05, 10);
        VeSde ve = new VeSde(0.01, 50);
        DenoisingObjective named = DenoisingObjective.ncsn(sigmas, ve);
        assertEquals(Parameterisation.SCORE, named.parameterisation());
        assertEquals(2.5, named.conditioning().value(0.3, 2.5), 0.0, "NCSN conditions its network on sigma");
        // the oracle reads the time from its conditioning, so rebuild the objective with time(1) conditioning
        DenoisingObjective o = new DenoisingObjective(ve, Parameterisation.SCORE, NoiseConditioning.time(1),
                NoiseLevelSampler.uniformLevel(sigmas), Weighting.scoreSigmaSquared());
        check("ncsn", o, NoiseLevelSampler.uniformLevel(sigmas), Weighting.scoreSigmaSquared());
    }

    @Test
    void continuousScoreMatchingWithLikelihoodWeightingMatchesTheClosedForm() {
        VpSde vp = new VpSde();
        // the oracle needs conditioning time(1): rebuild the objective with it (the named one conditions on 999 t)
        DenoisingObjective named = DenoisingObjective.continuousScoreMatching(vp, 1e-3, true);
        DenoisingObjective o = new DenoisingObjective(vp, named.parameterisation(), NoiseConditioning.time(1),
                NoiseLevelSampler.uniformTime(1e-3, 1), Weighting.likelihood(vp));
        check("likelihood-weighted", o, NoiseLevelSampler.uniformTime(1e-3, 1), Weighting.likelihood(vp));
    }

    @Test
    void edmLossIsUnitWeightOnTheEdmOutput() {
        EdmSde edm = new EdmSde(80);
        DenoisingObjective named = DenoisingObjective.edm(edm, 0.5);
        // Karras et al.'s lambda(sigma) = 1 / c_out^2 makes the EDM loss a unit-weight loss on F
        for (double sigma : new double[]{0.01, 0.7, 30}) {
            double scale = named.parameterisation().denoisedErrorScale(1, sigma);
            assertEquals(1.0, Weighting.edm(0.5).weight(sigma, 1, sigma, scale), 1e-12);
        }
    }

    @Test
    void lossesArePerSampleStreamsAndBackpropagate() {
        var net = org.diffusion4j.diffusion.net.MlpScoreNetwork.forToyData(2);
        net.cast(DType.F64);
        DenoisingObjective o = DenoisingObjective.ddpm(DiscreteSchedule.ddpmLinear(), Parameterisation.EPSILON, Weighting.simple());
        Tensor x0 = data.sample(cpu, DType.F64, 5, 1, 0);
        double[] five = o.lossTerms(net, x0, null, 9).value().toDoubleArray();
        double[] three = o.lossTerms(net, x0.narrow(0, 0, 3), null, 9).value().toDoubleArray();
        assertArrayEquals(java.util.Arrays.copyOf(five, 3), three, 1e-9);
        o.loss(net, x0, null, 9).backward();
        for (var p : net.parameters()) assertNotNull(p.grad(), "every parameter must receive a gradient");
    }
}
