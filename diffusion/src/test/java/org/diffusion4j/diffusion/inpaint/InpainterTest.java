package org.diffusion4j.diffusion.inpaint;

import org.diffusion4j.diffusion.ddpm.ReverseVariance;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.sampler.DdimSampler;
import org.diffusion4j.diffusion.sampler.SampleRequest;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.schedule.TimestepSpacing;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Inpainting with analytic Gaussian mixtures, whose exact denoisers make the sampler the only source of error, and
 * whose conditional distribution given the observed coordinate is closed-form: a mixture with weights
 * w_k N(x_o; mu_k,o, S_k,oo) (normalised) of N(mu_k,u + S_k,uo / S_k,oo (x_o - mu_k,o), S_k,uu - S_k,uo^2 / S_k,oo).
 */
class InpainterTest {
    private static final DiscreteSchedule CHAIN = DiscreteSchedule.ddpmLinear();
    private static final int N = 2000;

    /** x_1 and x_2 independent: mixtures (-1, 0.2; 1.5, 0.3) with weights (0.4, 0.6), and (-0.5, 0.1; 2, 0.5), (0.5, 0.5). */
    private static GaussianMixture product() {
        double[] a = {-1, 1.5}, va = {0.2, 0.3}, wa = {0.4, 0.6}, b = {-0.5, 2}, vb = {0.1, 0.5}, wb = {0.5, 0.5};
        double[] w = new double[4];
        double[][] mu = new double[4][];
        double[][][] cov = new double[4][][];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) {
            w[2 * i + j] = wa[i] * wb[j];
            mu[2 * i + j] = new double[]{a[i], b[j]};
            cov[2 * i + j] = new double[][]{{va[i], 0}, {0, vb[j]}};
        }
        return new GaussianMixture("product", w, mu, cov);
    }

    /** Two correlated components: the observed x_1 says which one, and shifts x_2 within it. */
    private static GaussianMixture correlated() {
        return new GaussianMixture("correlated", new double[]{0.3, 0.7}, new double[][]{{-1.5, -1.0}, {1.0, 1.5}},
                new double[][][]{{{0.3, 0.2}, {0.2, 0.4}}, {{0.25, -0.1}, {-0.1, 0.3}}});
    }

    /** Exact mean and variance of x_2 given x_1 = a under a 2-D mixture. */
    static double[] conditionalMoments(GaussianMixture g, double a) {
        int k = g.components();
        double[] post = new double[k], m = new double[k], v = new double[k];
        double z = 0;
        for (int c = 0; c < k; c++) {
            double[] mu = g.mean(c);
            double[][] s = g.covariance(c);
            post[c] = g.weight(c) * Math.exp(-0.5 * (a - mu[0]) * (a - mu[0]) / s[0][0]) / Math.sqrt(s[0][0]);
            z += post[c];
            m[c] = mu[1] + s[0][1] / s[0][0] * (a - mu[0]);
            v[c] = s[1][1] - s[0][1] * s[0][1] / s[0][0];
        }
        double mean = 0, second = 0;
        for (int c = 0; c < k; c++) {
            mean += post[c] / z * m[c];
            second += post[c] / z * (v[c] + m[c] * m[c]);
        }
        return new double[]{mean, second - mean * mean};
    }

    /** N copies of (a, 99): the 99 sits where the mask says "unknown", so a method that read it would show. */
    private static Tensor known(double a) {
        double[] k = new double[2 * N];
        for (int i = 0; i < N; i++) { k[2 * i] = a; k[2 * i + 1] = 99; }
        return Tensor.of(Backends.cpu(), DType.F64, k, N, 2);
    }

    private static final Tensor OBSERVE_FIRST = Tensor.of(Backends.cpu(), DType.F64, new double[]{1, 0}, 1, 2);

    /** Sample mean, variance and the standard errors of both (the latter from the sample's fourth central moment). */
    private static double[] moments(double[] xy) {
        double m = 0, v = 0, m4 = 0;
        for (int i = 0; i < N; i++) m += xy[2 * i + 1];
        m /= N;
        for (int i = 0; i < N; i++) {
            double d = xy[2 * i + 1] - m;
            v += d * d;
            m4 += d * d * d * d;
        }
        v /= N - 1;
        m4 /= N;
        return new double[]{m, v, Math.sqrt(v / N), Math.sqrt(Math.max(m4 - v * v, 0) / N)};
    }

    private static List<ReverseStep> updates() {
        return List.of(ReverseStep.ddpm(CHAIN, ReverseVariance.BETA), ReverseStep.ddim(CHAIN, 0.0));
    }

    @Test
    void knownCoordinatesComeBackExactlyAndTheUnknownOneFollowsItsMarginalWhenIndependent() {
        GaussianMixture g = product();
        // x_2 is independent of x_1: its conditional is its marginal
        double[] exact = conditionalMoments(g, 0.7);
        assertEquals(0.75, exact[0], 1e-12);
        assertEquals(0.5 * 0.1 + 0.5 * 0.5 + 0.25 * 2.5 * 2.5, exact[1], 1e-12);
        for (ReverseStep r : updates()) {
            for (Inpainter in : new Inpainter[]{Inpainter.replacement(CHAIN, 100, TimestepSpacing.LINSPACE, r),
                    Inpainter.repaint(CHAIN, 100, TimestepSpacing.LINSPACE, r, 10, 3)}) {
                Tensor known = known(0.7);
                double[] out = in.inpaint(g, known, OBSERVE_FIRST, 21).samples().toDoubleArray();
                for (int i = 0; i < N; i++) assertEquals(0.7, out[2 * i], 0.0, "known coordinate of sample " + i);
                double[] s = moments(out);
                // four standard errors (mean: 0.086; variance: about 0.13 here) plus 0.02 for 100 steps' discretisation
                String what = r.name() + " " + in.networkEvaluations() + " NFE: mean " + s[0] + " var " + s[1];
                assertEquals(exact[0], s[0], 4 * s[2] + 0.02, what);
                assertEquals(exact[1], s[1], 4 * s[3] + 0.02, what);
            }
        }
    }

    /**
     * With correlated coordinates the replacement method is biased (Lugmayr et al. 2022, Sec. 4.2; Trippe et al.
     * 2023): the fresh noise in the known part carries no memory of the unknown one. Measured on this mixture at
     * x_1 = 0.2 (exact conditional mean 1.802, variance 0.292), 100 steps, 4000 samples (docs/math/inpainting.md):
     * replacement gives mean 1.15 (DDPM with beta-tilde) / 1.00 (DDIM, eta 0), RePaint with jump 10 and 10 resamples
     * 1.49 / 1.42 (this test runs DDPM with beta, whose numbers are alike).
     * This test runs a cheaper setting, 50 steps, 2000 samples, DDPM with beta and DDIM: replacement means 1.134 / 0.987,
     * RePaint with jump 5 and 20 resamples 1.504 / 1.484 (errors 0.45 / 0.39 of replacement's). It holds those facts:
     * replacement's mean is far off, and resampling at least halves its error.
     */
    @Test
    void repaintResamplingHalvesTheReplacementMethodsBiasOnCorrelatedCoordinates() {
        GaussianMixture g = correlated();
        double[] exact = conditionalMoments(g, 0.2);
        assertEquals(1.802, exact[0], 1e-3);
        for (ReverseStep r : updates()) {
            double[] replaced = moments(Inpainter.replacement(CHAIN, 50, TimestepSpacing.LINSPACE, r)
                    .inpaint(g, known(0.2), OBSERVE_FIRST, 3).samples().toDoubleArray());
            Inpainter repaint = Inpainter.repaint(CHAIN, 50, TimestepSpacing.LINSPACE, r, 5, 20);
            double[] resampled = moments(repaint.inpaint(g, known(0.2), OBSERVE_FIRST, 3).samples().toDoubleArray());
            double replacedError = Math.abs(replaced[0] - exact[0]), resampledError = Math.abs(resampled[0] - exact[0]);
            String what = r.name() + ": replacement mean " + replaced[0] + ", RePaint mean " + resampled[0] + ", exact " + exact[0];
            assertTrue(replacedError > 10 * replaced[2], "replacement is expected to be biased here; " + what);
            assertTrue(resampledError < 0.5 * replacedError, what);
        }
    }

    @Test
    void withNothingKnownDdimInpaintingIsTheDdimSamplerToTheBit() {
        GaussianMixture g = correlated();
        int n = 33;
        Tensor anything = Tensor.randn(Backends.cpu(), DType.F64, 9, 0, n, 2);
        Tensor nothing = Tensor.zeros(Backends.cpu(), DType.F64, 1, 2);
        double[] inpainted = Inpainter.replacement(CHAIN, 20, TimestepSpacing.LEADING, ReverseStep.ddim(CHAIN, 0))
                .inpaint(g, anything, nothing, 4).samples().toDoubleArray();
        double[] sampled = new DdimSampler(CHAIN, 20, TimestepSpacing.LEADING, 0)
                .sample(g, SampleRequest.of(Backends.cpu(), DType.F64, 4, n, 2)).samples().toDoubleArray();
        assertArrayEquals(sampled, inpainted, 0.0);
    }

    @Test
    void repaintWalksEachStretchResamplesTimesAndCountsItsEvaluations() {
        Inpainter in = Inpainter.repaint(CHAIN, 20, TimestepSpacing.LINSPACE, ReverseStep.ddim(CHAIN, 0), 5, 3);
        List<Integer> visits = new ArrayList<>();
        long moves = in.schedule(visits);
        // 20 moves down, plus 2 extra walks of 5 moves from each of positions 5, 10, 15
        assertEquals(20 + 3 * 2 * 5, moves);
        assertEquals(moves, in.networkEvaluations());
        assertEquals(0, visits.get(0));
        assertEquals(20, visits.get(visits.size() - 1));
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 0, 1), visits.subList(0, 8));
        GaussianMixture g = correlated();
        Tensor k = Tensor.randn(Backends.cpu(), DType.F64, 1, 0, 3, 2);
        assertEquals(moves, in.inpaint(g, k, OBSERVE_FIRST, 0).nfe());
    }

    /**
     * ILVR on a 4-D mixture seen as 2x2 images: the low-pass part (the mean of the four pixels) of every result equals
     * the reference's up to rounding, and the rest is sampled (it varies between samples).
     */
    @Test
    void ilvrKeepsTheLowPassPartOfTheReference() {
        GaussianMixture g = new GaussianMixture("4d", new double[]{0.5, 0.5}, new double[][]{{-1, 0, 1, 0.5}, {1, 1, -0.5, 0}},
                new double[][][]{{{0.3, 0.1, 0, 0}, {0.1, 0.3, 0, 0}, {0, 0, 0.2, 0.05}, {0, 0, 0.05, 0.2}},
                        {{0.2, 0, 0, 0}, {0, 0.2, 0, 0}, {0, 0, 0.2, 0}, {0, 0, 0, 0.2}}});
        org.diffusion4j.diffusion.model.Denoiser images = (x, sigma) -> g.denoise(x.reshape(x.shape(0), 4), sigma).reshape(x.shape());
        int n = 200;
        Tensor y = Tensor.randn(Backends.cpu(), DType.F64, 6, 0, n, 1, 2, 2);
        for (ReverseStep r : updates()) {
            double[] out = Inpainter.replacement(CHAIN, 50, TimestepSpacing.LINSPACE, r)
                    .sample(images, y, Constraint.lowPass(2), 8, 0).samples().toDoubleArray();
            double[] ref = y.toDoubleArray();
            double spread = 0;
            for (int i = 0; i < n; i++) {
                double a = 0, b = 0;
                for (int j = 0; j < 4; j++) { a += out[4 * i + j]; b += ref[4 * i + j]; }
                assertEquals(b / 4, a / 4, 1e-12, r.name() + " sample " + i);
                spread += Math.abs(out[4 * i] - out[4 * i + 1]);
            }
            assertTrue(spread / n > 0.1, "the high-pass part is sampled, mean |x_0 - x_1| " + spread / n);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Inpainter.replacement(CHAIN, 5, TimestepSpacing.LINSPACE,
                ReverseStep.ddim(CHAIN, 0)).sample(images, Tensor.zeros(Backends.cpu(), DType.F64, 1, 1, 3, 3), Constraint.lowPass(2), 0, 0));
        assertTrue(e.getMessage().contains("divisible"), e.getMessage());
    }

    @Test
    void badMasksAreNamed() {
        Inpainter in = Inpainter.replacement(CHAIN, 10, TimestepSpacing.LINSPACE, ReverseStep.ddim(CHAIN, 0));
        Tensor k = Tensor.randn(Backends.cpu(), DType.F64, 1, 0, 3, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> in.inpaint(correlated(), k,
                Tensor.zeros(Backends.cpu(), DType.F64, 1, 3), 0));
        assertTrue(e.getMessage().contains("[1, 3]") && e.getMessage().contains("[3, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> in.inpaint(correlated(), k,
                Tensor.of(Backends.cpu(), DType.F64, new double[]{1, 0.5}, 1, 2), 0));
        assertTrue(e.getMessage().contains("0.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Inpainter.repaint(CHAIN, 10, TimestepSpacing.LINSPACE,
                ReverseStep.ddim(CHAIN, 0), 10, 2));
        assertTrue(e.getMessage().contains("jump length 10"), e.getMessage());
    }
}
