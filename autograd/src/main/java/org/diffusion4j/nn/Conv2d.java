package org.diffusion4j.nn;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.ConvSpec;

/**
 * 2D convolution of [N, in, H, W] with a k x k kernel: weight [out, in/groups, k, k], bias [out]. PyTorch's
 * default init: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = in/groups * k * k, for weight and bias.
 */
public final class Conv2d extends Module implements UnaryModule {
    private final ConvSpec spec;
    private final Parameter weight, bias;

    public Conv2d(int in, int out, int kernel, int stride, int padding) {
        this(in, out, kernel, stride, padding, 1, 1, true);
    }

    public Conv2d(int in, int out, int kernel, int stride, int padding, int dilation, int groups, boolean bias) {
        if (in < 1 || out < 1 || kernel < 1) throw new IllegalArgumentException("Conv2d needs in, out, kernel >= 1, got "
                + in + ", " + out + ", " + kernel);
        this.spec = ConvSpec.of(stride, padding, dilation, groups);
        if (in % groups != 0 || out % groups != 0) throw new IllegalArgumentException("Conv2d: " + in + " input and "
                + out + " output channels must be divisible by groups=" + groups);
        double bound = 1.0 / Math.sqrt((double) in / groups * kernel * kernel);
        this.weight = registerParameter("weight", Init.uniform(bound, out, in / groups, kernel, kernel));
        this.bias = bias ? registerParameter("bias", Init.uniform(bound, out)) : null;
    }

    public ConvSpec spec() { return spec; }

    public Parameter weight() { return weight; }

    public Parameter bias() { return bias; }

    @Override public Variable forward(Variable x) { return Variable.conv2d(x, weight, bias, spec); }

    /** forward(x) + sampleBias [N, out] broadcast over H, W + residual, in one fused call (either may be null). */
    public Variable forward(Variable x, Variable sampleBias, Variable residual) {
        return Variable.conv2dAdd(x, weight, bias, sampleBias, residual, spec);
    }
}
