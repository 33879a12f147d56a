package org.diffusion4j.diffusion.text;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Philox;
import org.diffusion4j.tensor.RandomKind;

/**
 * Ancestral sampling of the reverse absorbing process on the grid t_k = k / T, k = T, ..., 1 (MDLM, Sahoo et al.
 * 2024, Eq. 7 with the SUBS parameterisation): start from all masks at t = 1; at each step from t to s = t - 1/T
 * every still-masked token is revealed with probability (alpha_s - alpha_t) / (1 - alpha_t), its value drawn from
 * p_theta(. | z_t); revealed tokens never change. At s = 0, alpha = 1, so the last step reveals all that is left.
 *
 * <p>Cached variant (MDLM Sec. 3.3): the denoiser sees no time, so when a step reveals nothing its next output
 * equals its last one; the cached sampler evaluates the network only when z changed since its last call. Both
 * variants draw the same Philox uniforms (stream k, elements 2i and 2i + 1 for token i), so they return the same
 * tokens; only the number of network evaluations (NFE) differs.
 */
public final class AncestralUnmaskingSampler {
    private final AbsorbingProcess process;
    private final int steps;
    private final boolean cached;

    public AncestralUnmaskingSampler(AbsorbingProcess process, int steps, boolean cached) {
        if (steps < 1) throw new IllegalArgumentException("AncestralUnmaskingSampler: steps must be >= 1, got " + steps);
        this.process = process;
        this.steps = steps;
        this.cached = cached;
    }

    /** Sampled tokens [n, l] (row-major) and the network evaluations spent. */
    public record Result(int[] tokens, int n, int length, int steps, int nfe) { }

    public Result sample(TokenDenoiser denoiser, int n, int l, long seed) {
        int v = process.maskId(), size = n * l;
        int[] z = new int[size];
        java.util.Arrays.fill(z, v);
        double[] probs = null;
        int nfe = 0;
        boolean changed = true;
        for (int k = steps; k >= 1; k--) {
            double t = (double) k / steps, s = (double) (k - 1) / steps;
            if (probs == null || changed || !cached) {
                try (NoGrad g = NoGrad.enter()) { probs = denoiser.logits(z, n, l).softmax(-1).value().toDoubleArray(); }
                nfe++;
                if (probs.length != (long) size * v) throw new IllegalArgumentException("AncestralUnmaskingSampler: the "
                        + "denoiser gave " + probs.length + " probabilities, expected " + n + " x " + l + " x " + v);
            }
            double reveal = process.unmaskProbability(t, s);
            changed = false;
            for (int i = 0; i < size; i++) {
                if (z[i] != v) continue;
                if (Philox.element(RandomKind.UNIFORM, DType.F64, seed, k, 2L * i) >= reveal) continue;
                z[i] = draw(probs, i * v, v, Philox.element(RandomKind.UNIFORM, DType.F64, seed, k, 2L * i + 1));
                changed = true;
            }
        }
        return new Result(z, n, l, steps, nfe);
    }

    /** Inverse-CDF draw from probs[from .. from + v); the last class takes any rounding remainder. */
    private static int draw(double[] probs, int from, int v, double u) {
        double c = 0;
        for (int j = 0; j < v - 1; j++) {
            c += probs[from + j];
            if (u < c) return j;
        }
        return v - 1;
    }

    public int steps() { return steps; }

    public boolean cached() { return cached; }
}
