package org.diffusion4j.nn;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.ConvSpec;

import java.util.Arrays;

/**
 * 1-D convolution of [N, in, L] with a kernel of width k, dilation d and "same" zero padding d (k - 1) / 2 (k odd),
 * so the output is [N, out, L]. It is the 2-D convolution over [N, in, 1, L] with a 1 x k kernel: weight
 * [out, in, 1, k], bias [out], so both gradients, the CPU reference and the OpenCL kernels are conv2d's.
 * Init: PyTorch's default, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = in k, or all zeros
 * ({@link #zeroInitialised}, DiffWave's output projection).
 */
public final class Conv1d extends Module implements UnaryModule {
    private final ConvSpec spec;
    private final Parameter weight, bias;

    public Conv1d(int in, int out, int kernel, int dilation) { this(in, out, kernel, dilation, false); }

    private Conv1d(int in, int out, int kernel, int dilation, boolean zero) {
        if (in < 1 || out < 1 || kernel < 1 || kernel % 2 == 0 || dilation < 1) throw new IllegalArgumentException(
                "Conv1d needs in, out >= 1, an odd kernel and dilation >= 1, got in=" + in + " out=" + out + " kernel=" + kernel
                        + " dilation=" + dilation);
        this.spec = new ConvSpec(1, 1, 0, dilation * (kernel - 1) / 2, 1, dilation, 1);
        double bound = 1.0 / Math.sqrt((double) in * kernel);
        this.weight = registerParameter("weight", zero ? Init.full(0, out, in, 1, kernel) : Init.uniform(bound, out, in, 1, kernel));
        this.bias = registerParameter("bias", zero ? Init.full(0, out) : Init.uniform(bound, out));
    }

    /** A 1 x 1 convolution whose weight and bias start at zero. */
    public static Conv1d zeroInitialised(int in, int out) { return new Conv1d(in, out, 1, 1, true); }

    public ConvSpec spec() { return spec; }

    public Parameter weight() { return weight; }

    @Override public Variable forward(Variable x) {
        if (x.rank() != 3) throw new IllegalArgumentException("Conv1d expects [N, C, L], got " + Arrays.toString(x.shape()));
        return Variable.conv2d(x.unsqueeze(2), weight, bias, spec).squeeze(2);
    }
}
