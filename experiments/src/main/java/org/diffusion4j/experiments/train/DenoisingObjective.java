package org.diffusion4j.experiments.train;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Every objective of the config as one rule (Karras et al. 2022, eq. 2 and 8): draw a noise level sigma per
 * sample from the {@link NoiseDistribution} and n ~ N(0, I), form x = x0 + sigma n, and regress the network
 * output F(c_in x; c_noise) on the effective target (x0 - c_skip x) / c_out of the {@link Preconditioning}.
 * <ul>
 *   <li>eps, x0, v: DDPM timesteps with the epsilon, x0 or v preconditioning;</li>
 *   <li>dsm: NCSN's geometric levels with the epsilon preconditioning, i.e. denoising score matching with
 *       lambda(sigma) = sigma^2 (Song and Ermon 2019, eq. 6): sigma^2 |s + n / sigma|^2 = |F - n|^2 for
 *       s = -F / sigma;</li>
 *   <li>vp-sde: continuous t on the VP SDE with the epsilon preconditioning (Song et al. 2021, eq. 7 with
 *       lambda(t) = s(t)^2);</li>
 *   <li>edm: log-normal sigma with EDM's preconditioning.</li>
 * </ul>
 */
public final class DenoisingObjective implements Objective {
    private final NoiseDistribution noise;
    private final Preconditioning pre;

    public DenoisingObjective(NoiseDistribution noise, Preconditioning pre) {
        this.noise = noise;
        this.pre = pre;
    }

    public NoiseDistribution noise() { return noise; }

    public Preconditioning preconditioning() { return pre; }

    @Override public Variable loss(Network network, Tensor x0, int[] labels, StepRandom random) {
        int b = x0.shape(0);
        double[] u = random.hostUniforms("sigma", b);
        double[] sigma = new double[b], cIn = new double[b], cSkipOverOut = new double[b], invOut = new double[b], time = new double[b];
        for (int r = 0; r < b; r++) {
            double s = noise.sigma(u[r]);
            sigma[r] = s;
            cIn[r] = pre.cIn(s);
            cSkipOverOut[r] = pre.cSkip(s) / pre.cOut(s);
            invOut[r] = 1 / pre.cOut(s);
            time[r] = noise.networkTime(s);
        }
        int[] perSample = perSampleShape(x0);
        Tensor n = random.normal("noise", x0.backend(), x0.dtype(), x0.shape());
        Tensor x = x0.add(n.mul(column(x0, sigma, perSample)));
        // target = (x0 - c_skip x) / c_out
        Tensor target = x0.mul(column(x0, invOut, perSample)).sub(x.mul(column(x0, cSkipOverOut, perSample)));
        Tensor input = x.mul(column(x0, cIn, perSample));
        Variable out = network.forward(Variable.constant(input), Tensor.of(x0.backend(), x0.dtype(), time, b), labels);
        return out.sub(Variable.constant(target)).square().mean();
    }

    private static Tensor column(Tensor like, double[] values, int[] shape) {
        return Tensor.of(like.backend(), like.dtype(), values, shape);
    }

    /** [B, 1, 1, ...]: one coefficient per sample, broadcast over the sample's elements. */
    static int[] perSampleShape(Tensor x) {
        int[] shape = new int[x.rank()];
        Arrays.fill(shape, 1);
        shape[0] = x.shape(0);
        return shape;
    }
}
