package org.diffusion4j.diffusion.param;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.net.NoiseConditionalNetwork;
import org.diffusion4j.diffusion.schedule.MarginalProcess;
import org.diffusion4j.tensor.Tensor;

/**
 * A trained network seen as a denoiser D(y; sigma) on variance-exploding coordinates, so that every sampler can use
 * it: for sigma it finds the process time t with that noise level, forms x_t = a(t) y, runs the network on the
 * parameterisation's input with the conditioning value c_noise(t, sigma) and maps the output to D.
 */
public final class NetworkDenoiser implements Denoiser {
    private final NoiseConditionalNetwork network;
    private final Parameterisation parameterisation;
    private final MarginalProcess process;
    private final NoiseConditioning conditioning;
    private final int[] labels;

    public NetworkDenoiser(NoiseConditionalNetwork network, Parameterisation parameterisation, MarginalProcess process,
                           NoiseConditioning conditioning) {
        this(network, parameterisation, process, conditioning, null);
    }

    private NetworkDenoiser(NoiseConditionalNetwork network, Parameterisation parameterisation, MarginalProcess process,
                            NoiseConditioning conditioning, int[] labels) {
        if (network == null || parameterisation == null || process == null || conditioning == null) {
            throw new IllegalArgumentException("network, parameterisation, process and conditioning must all be given");
        }
        this.network = network;
        this.parameterisation = parameterisation;
        this.process = process;
        this.conditioning = conditioning;
        this.labels = labels;
    }

    /** The same denoiser conditioned on class labels (one per sample of every batch it will see). */
    public NetworkDenoiser withLabels(int[] classLabels) {
        return new NetworkDenoiser(network, parameterisation, process, conditioning, classLabels.clone());
    }

    @Override public Variable denoise(Variable y, double sigma) {
        if (!(sigma >= 0)) throw new IllegalArgumentException("noise level sigma must be >= 0, got " + sigma);
        if (sigma == 0) return y;
        int n = y.shape(0);
        if (labels != null && labels.length != n) throw new IllegalArgumentException("denoiser has " + labels.length
                + " class labels but the batch has " + n + " samples");
        double t = process.timeOfNoiseLevel(sigma);
        // s = sigma a keeps s / a equal to the requested sigma even where the process clamps t (a discrete chain
        // asked for a noise level outside its table): only the network's conditioning then sees the clamped time
        double a = process.meanScale(t), s = sigma * a;
        int[] bshape = broadcastShape(y.shape());
        Tensor at = Tensor.full(y.backend(), y.dtype(), a, bshape), st = Tensor.full(y.backend(), y.dtype(), s, bshape);
        Variable xt = y.mul(a);
        Tensor cnoise = Tensor.full(y.backend(), y.dtype(), conditioning.value(t, sigma), n);
        Variable f = network.forward(parameterisation.networkInput(xt, at, st), cnoise, labels);
        return parameterisation.denoised(f, xt, at, st);
    }

    /** [1, 1, ..., 1] of x's rank. */
    static int[] broadcastShape(int[] xShape) {
        int[] b = new int[xShape.length];
        java.util.Arrays.fill(b, 1);
        return b;
    }

    public NoiseConditionalNetwork network() { return network; }

    public Parameterisation parameterisation() { return parameterisation; }
}
