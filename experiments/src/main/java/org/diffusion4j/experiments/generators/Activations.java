package org.diffusion4j.experiments.generators;

import org.diffusion4j.autograd.Variable;

/**
 * Activations the baselines need, composed from autograd's existing differentiable ops (so their gradients are the
 * ops' own; GeneratorOpsTest still checks them by central differences on the CPU and on OpenCL).
 */
public final class Activations {
    private Activations() { }

    /** Leaky ReLU: x for x > 0, slope x otherwise; written relu(x) - slope relu(-x). slope 0 is ReLU. */
    public static Variable leakyRelu(Variable x, double slope) {
        if (!(slope >= 0 && slope < 1)) throw new IllegalArgumentException("leaky ReLU slope must be in [0, 1), got " + slope);
        return slope == 0 ? x.relu() : x.relu().sub(x.neg().relu().mul(slope));
    }

    /**
     * softplus(x) = ln(1 + e^x), written relu(x) + ln(1 + e^-|x|) so that it neither overflows for large x nor loses
     * its value for very negative x. -ln sigmoid(x) = softplus(-x), the logistic loss of a GAN's discriminator.
     */
    public static Variable softplus(Variable x) {
        return x.relu().add(x.abs().neg().exp().add(1.0).log());
    }
}
