package org.diffusion4j.diffusion.text;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Philox;
import org.diffusion4j.tensor.RandomKind;
import org.diffusion4j.tensor.Tensor;

/**
 * The autoregressive baseline's objective and sampler, for a causal network that reads the sequence shifted right
 * by one behind a start token s = V: position i sees [s, x_0, ..., x_{i-1}] and predicts x_i. Its loss is the exact
 * negative log-likelihood -log2 p(x) / L = -(1 / L) sum_i log2 p(x_i | x_&lt;i) in bits per character, so it is
 * directly comparable with the diffusion model's bound (which is above its own -log2 p(x) / L).
 */
public final class AutoregressiveObjective {
    private static final double LN2 = Math.log(2);
    private final int vocabulary;

    /** @param vocabulary V, the real tokens; the start token is V */
    public AutoregressiveObjective(int vocabulary) {
        if (vocabulary < 1) throw new IllegalArgumentException("AutoregressiveObjective: vocabulary must be >= 1, got " + vocabulary);
        this.vocabulary = vocabulary;
    }

    /** [s, x_0, ..., x_{L-2}] for each sequence of x [n, l]. */
    public int[] shiftRight(int[] x, int n, int l) {
        int[] in = new int[n * l];
        for (int i = 0; i < n; i++) {
            in[i * l] = vocabulary;
            System.arraycopy(x, i * l, in, i * l + 1, l - 1);
        }
        return in;
    }

    /** Mean negative log-likelihood of x [n, l] in bits per character, as a differentiable scalar. */
    public Variable loss(TokenDenoiser network, int[] x, int n, int l) {
        Variable logits = network.logits(shiftRight(x, n, l), n, l);
        int[] s = logits.shape();
        if (s.length != 3 || s[0] != n || s[1] != l || s[2] != vocabulary) throw new IllegalArgumentException(
                "AutoregressiveObjective: the network gave logits " + java.util.Arrays.toString(s) + ", expected ["
                        + n + ", " + l + ", " + vocabulary + "]");
        int[] picked = new int[n * l];
        for (int i = 0; i < picked.length; i++) picked[i] = i * vocabulary + x[i];
        return Variable.indexSelect(logits.logSoftmax(-1).reshape(-1), 0, picked).mean().mul(-1 / LN2);
    }

    /** Bits per character of x under the network, no gradient. */
    public double bitsPerChar(TokenDenoiser network, int[] x, int n, int l) {
        try (NoGrad g = NoGrad.enter()) { return loss(network, x, n, l).value().item(); }
    }

    /** Per-sequence bits per character (for standard errors), no gradient. */
    public double[] bitsPerCharPerSequence(TokenDenoiser network, int[] x, int n, int l) {
        double[] out = new double[n];
        try (NoGrad g = NoGrad.enter()) {
            double[] logp = network.logits(shiftRight(x, n, l), n, l).logSoftmax(-1).value().toDoubleArray();
            for (int i = 0; i < n * l; i++) out[i / l] -= logp[i * vocabulary + x[i]] / (l * LN2);
        }
        return out;
    }

    /**
     * Left-to-right ancestral sampling of n sequences of length l: l network evaluations (no key-value cache), the
     * token at position i drawn by inverse CDF with Philox (seed, stream i, element j for sequence j).
     */
    public int[] sample(TokenDenoiser network, int n, int l, long seed) {
        int[] x = new int[n * l];
        for (int i = 0; i < l; i++) {
            double[] p;
            try (NoGrad g = NoGrad.enter()) { p = network.logits(shiftRight(x, n, l), n, l).softmax(-1).value().toDoubleArray(); }
            for (int j = 0; j < n; j++) {
                double u = Philox.element(RandomKind.UNIFORM, DType.F64, seed, i, j), c = 0;
                int from = (j * l + i) * vocabulary, tok = vocabulary - 1;
                for (int k = 0; k < vocabulary - 1; k++) { c += p[from + k]; if (u < c) { tok = k; break; } }
                x[j * l + i] = tok;
            }
        }
        return x;
    }
}
