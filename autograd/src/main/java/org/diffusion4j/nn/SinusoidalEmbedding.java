package org.diffusion4j.nn;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Tensor;

/**
 * The sinusoidal time embedding of the DDPM UNet (after Vaswani et al. 2017): for t [B] and dim = 2 * half,
 * f_i = exp(-ln(10000) * i / (half - 1)) for i = 0..half-1 and emb(t) = [sin(t f), cos(t f)] of shape [B, dim].
 */
public final class SinusoidalEmbedding extends Module {
    private final int dim;

    public SinusoidalEmbedding(int dim) {
        if (dim < 4 || dim % 2 != 0) throw new IllegalArgumentException("SinusoidalEmbedding: dim must be even and >= 4, got " + dim);
        this.dim = dim;
    }

    public int dim() { return dim; }

    /** The frequencies f_i, computed in double. */
    public double[] frequencies() {
        int half = dim / 2;
        double[] f = new double[half];
        for (int i = 0; i < half; i++) f[i] = Math.exp(-Math.log(10000.0) * i / (half - 1));
        return f;
    }

    public Variable forward(Variable t) {
        if (t.rank() != 1) throw new IllegalArgumentException("SinusoidalEmbedding: t must have shape [B], got "
                + java.util.Arrays.toString(t.shape()));
        Tensor f = Tensor.of(t.backend(), t.dtype(), frequencies(), 1, dim / 2);
        Variable angles = t.unsqueeze(1).mul(Variable.constant(f));
        return Variable.concat(1, angles.sin(), angles.cos());
    }

    public Tensor forward(Tensor t) { return forward(Variable.constant(t)).value(); }
}
