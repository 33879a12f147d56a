package org.diffusion4j.nn;

import org.diffusion4j.autograd.Variable;

/**
 * y = x W^T + b for x [..., in]; W [out, in], b [out]. PyTorch's default init: kaiming_uniform with
 * a = sqrt(5), i.e. U(-1/sqrt(in), 1/sqrt(in)), and the same bound for the bias.
 */
public final class Linear extends Module implements UnaryModule {
    private final int in, out;
    private final Parameter weight, bias;

    public Linear(int in, int out) { this(in, out, true); }

    public Linear(int in, int out, boolean bias) {
        if (in < 1 || out < 1) throw new IllegalArgumentException("Linear needs in >= 1 and out >= 1, got " + in + " -> " + out);
        this.in = in;
        this.out = out;
        double bound = 1.0 / Math.sqrt(in);
        this.weight = registerParameter("weight", Init.uniform(bound, out, in));
        this.bias = bias ? registerParameter("bias", Init.uniform(bound, out)) : null;
    }

    public Parameter weight() { return weight; }

    /** The bias, or null when built without one. */
    public Parameter bias() { return bias; }

    @Override public Variable forward(Variable x) {
        checkInput(x);
        if (bias != null) return Variable.linear(x, weight, bias, false);   // the bias in the GEMM's epilogue
        return x.matmul(weight.transpose(0, 1));
    }

    /** SiLU(forward(x)); with a bias and no gradient recorded, the bias and the SiLU run in the GEMM's epilogue. */
    public Variable forwardSilu(Variable x) {
        if (bias == null) return forward(x).silu();
        checkInput(x);
        return Variable.linear(x, weight, bias, true);
    }

    private void checkInput(Variable x) {
        if (x.rank() < 1 || x.shape(-1) != in) throw new IllegalArgumentException("Linear(" + in + ", " + out
                + "): input's last axis must be " + in + ", got shape " + java.util.Arrays.toString(x.shape()));
    }
}
