package org.diffusion4j.experiments.train;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.tensor.Tensor;

/**
 * A trained network as the denoiser the samplers ask for: D(x; sigma) = c_skip x + c_out F(c_in x; c_noise)
 * with the preconditioning and time input it was trained with. With class labels and a guidance weight w,
 * classifier-free guidance (Ho and Salimans 2022, eq. 6) mixes the conditional and the unconditional
 * ("no class") predictions: D = D_uncond + w (D_cond - D_uncond); w = 1 is plain conditional sampling.
 */
public final class NetworkDenoiser implements Denoiser {
    private final Network network;
    private final NoiseDistribution noise;
    private final Preconditioning pre;
    private final int[] labels;
    private final int nullClass;
    private final double guidance;

    /** An unconditional denoiser. */
    public NetworkDenoiser(Network network, DenoisingObjective objective) {
        this(network, objective, null, -1, 1.0);
    }

    /**
     * @param labels    the class of each sample of the batches that will be denoised, or null
     * @param nullClass the "no class" label (the config's classes)
     * @param guidance  the guidance weight w
     */
    public NetworkDenoiser(Network network, DenoisingObjective objective, int[] labels, int nullClass, double guidance) {
        if (!Double.isFinite(guidance)) throw new IllegalArgumentException("guidance weight must be finite, got " + guidance);
        this.network = network;
        this.noise = objective.noise();
        this.pre = objective.preconditioning();
        this.labels = labels == null ? null : labels.clone();
        this.nullClass = nullClass;
        this.guidance = guidance;
    }

    @Override public Variable denoise(Variable x, double sigma) {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("a network denoiser needs a noise level sigma > 0, got " + sigma);
        }
        if (labels != null && labels.length != x.shape(0)) {
            throw new IllegalArgumentException("the denoiser holds " + labels.length + " labels but the batch has " + x.shape(0) + " samples");
        }
        // A likelihood differentiates through D (vector-Jacobian products in x); autograd then also accumulates
        // gradients into the network's parameters, which nobody reads. They are dropped at every call, so that no
        // gradient made inside one of the caller's tensor scopes is added to after that scope closed it.
        network.module().zeroGrad();
        Variable conditional = once(x, sigma, labels);
        if (labels == null || guidance == 1.0) return conditional;
        int[] none = new int[labels.length];
        java.util.Arrays.fill(none, nullClass);
        Variable unconditional = once(x, sigma, none);
        return unconditional.add(conditional.sub(unconditional).mul(guidance));
    }

    private Variable once(Variable x, double sigma, int[] classes) {
        int b = x.shape(0);
        double[] time = new double[b];
        java.util.Arrays.fill(time, noise.networkTime(sigma));
        Variable f = network.forward(x.mul(pre.cIn(sigma)), Tensor.of(x.backend(), x.dtype(), time, b), classes);
        return x.mul(pre.cSkip(sigma)).add(f.mul(pre.cOut(sigma)));
    }
}
