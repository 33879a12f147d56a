package org.diffusion4j.nn;

import org.diffusion4j.autograd.Variable;

/**
 * Layer normalisation (Ba, Kiros and Hinton 2016) over the last axis: y = (x - mean) / sqrt(var + eps) * gamma + beta
 * with the biased variance of the E features of each position, gamma ("weight", init 1) and beta ("bias", init 0)
 * of width E, as PyTorch's nn.LayerNorm(E).
 *
 * <p>For x [..., E] viewed as [M, E] this is exactly group normalisation with one group and E channels of spatial
 * extent 1, so it runs on the backend's group-norm forward and backward kernels (CPU and OpenCL) and adds none.
 */
public final class LayerNorm extends Module implements UnaryModule {
    private final int width;
    private final double eps;
    private final Parameter weight, bias;

    public LayerNorm(int width) { this(width, 1e-5); }

    public LayerNorm(int width, double eps) {
        if (width < 1) throw new IllegalArgumentException("LayerNorm needs width >= 1, got " + width);
        if (!(eps > 0)) throw new IllegalArgumentException("LayerNorm: eps must be > 0, got " + eps);
        this.width = width;
        this.eps = eps;
        this.weight = registerParameter("weight", Init.full(1.0, width));
        this.bias = registerParameter("bias", Init.full(0.0, width));
    }

    public int width() { return width; }

    @Override public Variable forward(Variable x) {
        int[] s = x.shape();
        if (s.length < 1 || s[s.length - 1] != width) throw new IllegalArgumentException("LayerNorm(" + width
                + "): input's last axis must be " + width + ", got shape " + java.util.Arrays.toString(s));
        return Variable.groupNorm(x.reshape(-1, width), weight, bias, 1, eps).reshape(s);
    }
}
