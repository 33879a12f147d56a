package org.diffusion4j.diffusion.text;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Philox;
import org.diffusion4j.tensor.RandomKind;
import org.diffusion4j.tensor.Tensor;

/**
 * The MDLM objective (Sahoo et al. 2024, Eq. 10; Shi et al. 2024, Eq. 5): the continuous-time negative ELBO of a
 * sequence x of length L,
 * <pre>
 *   NELBO(x) = E_{t ~ U(0,1)} E_{z_t ~ q(.|x)} [ w(t) sum_{i : z_t,i = m} -log p_theta(x_i | z_t) ],   w(t) = -alpha'(t) / (1 - alpha(t))
 * </pre>
 * reported per character in bits, NELBO / (L ln 2). It is an upper bound on -log2 p_theta(x) / L; a denoiser that
 * knows the data's exact conditionals makes it equal in expectation (docs/math/masked-diffusion.md).
 *
 * <p>Times for a batch are stratified, t_i = (u + i / n) mod 1 with one uniform u (MDLM's low-discrepancy
 * sampler), which lowers the estimator's variance without biasing it.
 */
public final class MaskedDiffusionObjective {
    private static final double LN2 = Math.log(2);
    private final AbsorbingProcess process;
    private final int vocabulary;

    /** @param vocabulary V, the real tokens; the mask is V */
    public MaskedDiffusionObjective(MaskingSchedule schedule, int vocabulary) {
        this.process = new AbsorbingProcess(schedule, vocabulary);
        this.vocabulary = vocabulary;
    }

    public AbsorbingProcess process() { return process; }

    /** n stratified times in (0, 1) from one Philox uniform of (seed, stream). */
    public static double[] stratifiedTimes(int n, long seed, long stream) {
        double u = Philox.element(RandomKind.UNIFORM, DType.F64, seed, stream, 0);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            double v = u + (double) i / n;
            t[i] = v >= 1 ? v - 1 : v;
        }
        return t;
    }

    /**
     * The batch's negative ELBO in bits per character, averaged over its n sequences, as a differentiable scalar.
     * Times from {@link #stratifiedTimes} with (seed, 2 step); masks from (seed, 2 step + 1).
     *
     * @param x row-major token ids [n, l]
     */
    public Variable loss(TokenDenoiser denoiser, int[] x, int n, int l, long seed, long step) {
        double[] t = stratifiedTimes(n, seed, 2 * step);
        return loss(denoiser, x, l, t, process.corrupt(x, l, t, seed, 2 * step + 1));
    }

    /** The negative ELBO in bits per character for given times and corruptions z (the mask where z = V). */
    public Variable loss(TokenDenoiser denoiser, int[] x, int l, double[] times, int[] z) {
        int n = times.length;
        Variable logits = denoiser.logits(z, n, l);
        int[] s = logits.shape();
        if (s.length != 3 || s[0] != n || s[1] != l || s[2] != vocabulary) throw new IllegalArgumentException(
                "MaskedDiffusionObjective: the denoiser gave logits " + java.util.Arrays.toString(s) + ", expected ["
                        + n + ", " + l + ", " + vocabulary + "]");
        int masked = 0;
        for (int v : z) if (v == vocabulary) masked++;
        int[] picked = new int[masked];
        double[] weights = new double[masked];
        int k = 0;
        for (int i = 0; i < n; i++) {
            double w = process.schedule().weight(times[i]);
            for (int j = 0; j < l; j++) {
                int at = i * l + j;
                if (z[at] != vocabulary) continue;
                picked[k] = at * vocabulary + x[at];
                weights[k++] = -w / (n * l * LN2);
            }
        }
        if (masked == 0) return logits.sum().mul(0.0);     // nothing masked: the bound's sample is 0
        Variable logp = Variable.indexSelect(logits.logSoftmax(-1).reshape(-1), 0, picked);
        return logp.mul(Tensor.of(logits.backend(), logits.dtype(), weights, masked)).sum();
    }

    /** A Monte-Carlo estimate of the negative ELBO with its standard error, and each sequence's estimate, in bits per character. */
    public record Estimate(double bitsPerChar, double standardError, int sequences, int timesPerSequence,
                           double[] perSequence) {
        @Override public String toString() {
            return String.format("%.4f +- %.4f bits/char (%d sequences x %d times)", bitsPerChar, standardError,
                    sequences, timesPerSequence);
        }
    }

    /**
     * Estimates the mean negative ELBO of n sequences with k times each (stratified per sequence). The standard
     * error is that of the mean of the n per-sequence estimates, so it covers the data's and the times' spread.
     */
    public Estimate estimate(TokenDenoiser denoiser, int[] x, int n, int l, int k, long seed) {
        if (n < 2 || k < 1) throw new IllegalArgumentException("MaskedDiffusionObjective.estimate: need n >= 2 sequences and "
                + "k >= 1 times, got n = " + n + ", k = " + k);
        double[] perSequence = new double[n];
        try (NoGrad g = NoGrad.enter()) {
            for (int i = 0; i < n; i++) {
                int[] xi = new int[k * l];
                for (int r = 0; r < k; r++) System.arraycopy(x, i * l, xi, r * l, l);
                double[] t = stratifiedTimes(k, seed, 2L * i);
                int[] z = process.corrupt(xi, l, t, seed, 2L * i + 1);
                perSequence[i] = loss(denoiser, xi, l, t, z).value().item();
            }
        }
        double mean = 0, var = 0;
        for (double v : perSequence) mean += v / n;
        for (double v : perSequence) var += (v - mean) * (v - mean) / (n - 1);
        return new Estimate(mean, Math.sqrt(var / n), n, k, perSequence);
    }
}
