package org.diffusion4j.diffusion.text;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The MDLM negative ELBO: against a float64 loop, against closed forms (a uniform denoiser's bound is log2 V), and
 * for the exact denoiser of a Markov chain against the exact -log2 p(x) and the chain's entropy.
 */
class MaskedDiffusionObjectiveTest {
    /** A sticky three-token chain: the entropy rate (1.02 bits) is well below log2 3 = 1.585. */
    static final MarkovChainLanguage CHAIN = new MarkovChainLanguage(new double[]{0.5, 0.3, 0.2}, new double[][]{
            {0.8, 0.15, 0.05}, {0.1, 0.7, 0.2}, {0.25, 0.05, 0.7}});

    @Test void lossMatchesAFloat64Loop() {
        int v = 4, n = 3, l = 5;
        double[] logits = new double[n * l * v];
        for (int i = 0; i < logits.length; i++) logits[i] = Math.sin(1.7 * i) * 2;
        TokenDenoiser d = (z, nn, ll) -> Variable.constant(Tensor.of(Backends.cpu(), DType.F64, logits, nn, ll, v));
        int[] x = {0, 1, 2, 3, 0, 3, 3, 2, 1, 0, 1, 1, 2, 0, 3};
        int[] z = {4, 1, 4, 4, 0, 3, 4, 2, 1, 0, 4, 4, 4, 4, 4};
        double[] t = {0.3, 0.6, 0.9};
        MaskedDiffusionObjective obj = new MaskedDiffusionObjective(MaskingSchedule.COSINE, v);
        double expected = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < l; j++) {
            int at = i * l + j;
            if (z[at] != v) continue;
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < v; c++) max = Math.max(max, logits[at * v + c]);
            for (int c = 0; c < v; c++) sum += Math.exp(logits[at * v + c] - max);
            double logp = logits[at * v + x[at]] - max - Math.log(sum);
            expected += MaskingSchedule.COSINE.weight(t[i]) * -logp;
        }
        expected /= n * l * Math.log(2);
        assertEquals(expected, obj.loss(d, x, l, t, z).value().item(), 1e-12);
    }

    @Test void aUniformDenoisersBoundIsLog2V() {
        // E[w(t) #masked log V] = L log V * int_0^1 -alpha'(t) dt = L log V: the bound of a model that knows nothing
        int v = 3, n = 200, l = 8;
        TokenDenoiser uniform = (z, nn, ll) -> Variable.constant(Tensor.zeros(Backends.cpu(), DType.F64, nn, ll, v));
        int[] x = CHAIN.sample(n, l, 3);
        for (MaskingSchedule s : new MaskingSchedule[]{MaskingSchedule.LINEAR, MaskingSchedule.COSINE}) {
            MaskedDiffusionObjective.Estimate e = new MaskedDiffusionObjective(s, v).estimate(uniform, x, n, l, 8, 5);
            assertEquals(Math.log(3) / Math.log(2), e.bitsPerChar(), 4 * e.standardError(), s.name() + ": " + e);
        }
    }

    @Test void theExactDenoisersBoundEqualsTheChainsEntropy() {
        int n = 400, l = 8;
        int[] x = CHAIN.sample(n, l, 7);
        double[] nllPerSequence = new double[n];
        double nll = 0;
        for (int i = 0; i < n; i++) {
            nllPerSequence[i] = -CHAIN.logProb(x, i * l, l) / (l * Math.log(2));
            nll += nllPerSequence[i] / n;
        }
        TokenDenoiser exact = CHAIN.denoiser(Backends.cpu());
        double entropy = CHAIN.sequenceEntropyBits(l) / l, rate = CHAIN.entropyRateBits();
        for (MaskingSchedule s : new MaskingSchedule[]{MaskingSchedule.LINEAR, MaskingSchedule.COSINE}) {
            MaskedDiffusionObjective.Estimate e = new MaskedDiffusionObjective(s, 3).estimate(exact, x, n, l, 32, 9);
            System.out.printf("%s: exact-denoiser NELBO %s; -log2 p(x) of the same sequences %.4f; H(X_1..X_8)/8 = %.4f;"
                    + " entropy rate %.4f bits/char%n", s.name(), e, nll, entropy, rate);
            // The continuous-time bound is tight for the true conditionals: per sequence its expectation over times
            // and masks is -log2 p(x) / L. Paired by sequence, the data's spread cancels and only the times' remains.
            double meanGap = 0, varGap = 0;
            for (int i = 0; i < n; i++) meanGap += (e.perSequence()[i] - nllPerSequence[i]) / n;
            for (int i = 0; i < n; i++) varGap += Math.pow(e.perSequence()[i] - nllPerSequence[i] - meanGap, 2) / (n - 1);
            double seGap = Math.sqrt(varGap / n);
            System.out.printf("%s: NELBO - (-log2 p(x)) per char = %.4f +- %.4f%n", s.name(), meanGap, seGap);
            assertEquals(0.0, meanGap, 4 * seGap, s.name() + ": " + e);
            assertTrue(seGap < 0.02, "too few samples to say anything: gap standard error " + seGap);
            assertEquals(entropy, e.bitsPerChar(), 4 * e.standardError() + 0.01, s.name() + ": " + e);
        }
        // H(X_1..X_L) / L exceeds the entropy rate only by the first token's excess entropy, spread over L
        assertTrue(entropy > rate && entropy - rate < 0.1, "block entropy " + entropy + " vs rate " + rate);
        assertEquals(entropy, nll, 0.03, "the sample's -log2 p(x) / L against the exact entropy");
    }

    @Test void aGradientFlowsOnlyThroughMaskedPositions() {
        int v = 3, l = 4;
        Variable logits = Variable.parameter(Tensor.zeros(Backends.cpu(), DType.F64, 1, l, v));
        TokenDenoiser d = (z, nn, ll) -> logits;
        new MaskedDiffusionObjective(MaskingSchedule.LINEAR, v).loss(d, new int[]{0, 1, 2, 0}, l, new double[]{0.5},
                new int[]{3, 1, 3, 0}).backward();
        double[] g = logits.grad().toDoubleArray();
        for (int c = 0; c < v; c++) {
            assertEquals(0.0, g[v + c], 0.0, "unmasked position 1");
            assertEquals(0.0, g[3 * v + c], 0.0, "unmasked position 3");
        }
        // position 0 is masked with target 0: d/dlogit_c of -w log softmax_0 / (L ln 2) = w (1/3 - [c = 0]) / (L ln 2)
        double w = 2.0 / (l * Math.log(2));
        assertEquals(w * (1.0 / 3 - 1), g[0], 1e-12);
        assertEquals(w / 3, g[1], 1e-12);
    }
}
