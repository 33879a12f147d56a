package org.diffusion4j.diffusion.param;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.diffusion.net.NoiseConditionalNetwork;
import org.diffusion4j.diffusion.schedule.MarginalProcess;
import org.diffusion4j.tensor.Tensor;

/**
 * A trained network seen as a denoiser D(y; sigma) on variance-exploding coordinates, so that every sampler can use
 * it: for sigma it finds the process time t with that noise level, forms x_t = a(t) y, runs the network on the
 * parameterisation's input with the conditioning value c_noise(t, sigma) and maps the output to D.
 *
 * <p>Classifier-free guidance (Ho &amp; Salimans 2022, eq. 6): with a condition c, its unconditional form c_0
 * ({@link Conditioning#unconditional()}: the "no class" label, a zero context or image) and a weight w, the network
 * runs twice and its outputs are mixed as F = F(c_0) + w (F(c) - F(c_0)). Every parameterisation's D is affine in F
 * with coefficients that do not depend on the condition (D = c_skip x + c_out F), so this is the same as mixing the
 * two denoised estimates: D = D_uncond + w (D_cond - D_uncond). w = 1 is plain conditional sampling.
 */
@SuppressWarnings("try") // Scope and NoGrad blocks act by being open, their variables are unused
public final class NetworkDenoiser implements Denoiser {
    private final NoiseConditionalNetwork network;
    private final Parameterisation parameterisation;
    private final MarginalProcess process;
    private final NoiseConditioning conditioning;
    private final Conditioning condition;
    private final Conditioning unconditional;
    private final double guidance;

    public NetworkDenoiser(NoiseConditionalNetwork network, Parameterisation parameterisation, MarginalProcess process,
                           NoiseConditioning conditioning) {
        this(network, parameterisation, process, conditioning, Conditioning.NONE, null, 1.0);
    }

    private NetworkDenoiser(NoiseConditionalNetwork network, Parameterisation parameterisation, MarginalProcess process,
                            NoiseConditioning conditioning, Conditioning condition, Conditioning unconditional, double guidance) {
        if (network == null || parameterisation == null || process == null || conditioning == null) {
            throw new IllegalArgumentException("network, parameterisation, process and conditioning must all be given");
        }
        this.network = network;
        this.parameterisation = parameterisation;
        this.process = process;
        this.conditioning = conditioning;
        this.condition = condition;
        this.unconditional = unconditional;
        this.guidance = guidance;
    }

    /** The same denoiser conditioned on c (for every batch it will see; null or NONE: unconditional). */
    public NetworkDenoiser withCondition(Conditioning c) {
        return new NetworkDenoiser(network, parameterisation, process, conditioning, Conditioning.orNone(c), null, 1.0);
    }

    /** The same denoiser conditioned on class labels (one per sample of every batch it will see). */
    public NetworkDenoiser withLabels(int[] classLabels) {
        return withCondition(Conditioning.labels(classLabels));
    }

    /**
     * The same denoiser with classifier-free guidance (Ho &amp; Salimans 2022, eq. 6) towards condition c, away from
     * its unconditional form.
     *
     * @param weight the guidance weight w: 1 is plain conditional sampling, 0 unconditional, larger values guide
     *               more strongly
     */
    public NetworkDenoiser withGuidance(Conditioning c, double weight) {
        if (c == null || c.isNone()) throw new IllegalArgumentException("guidance needs a condition, got " + (c == null ? "null" : c));
        if (!Double.isFinite(weight)) throw new IllegalArgumentException("guidance weight must be finite, got " + weight);
        return new NetworkDenoiser(network, parameterisation, process, conditioning, c,
                weight == 1.0 ? null : c.unconditional(), weight);
    }

    /**
     * Guidance towards class labels.
     *
     * @param classLabels one label per sample of every batch it will see
     * @param noClass     the label the network was trained with for "no class" (label dropout)
     * @param weight      as in {@link #withGuidance(Conditioning, double)}
     */
    public NetworkDenoiser withGuidance(int[] classLabels, int noClass, double weight) {
        if (classLabels == null) throw new IllegalArgumentException("guidance needs class labels, got null");
        return withGuidance(Conditioning.labels(classLabels, noClass), weight);
    }

    /** The condition this denoiser passes to the network. */
    public Conditioning condition() { return condition; }

    /** The network's output at input x, guided when this denoiser has a guidance weight. */
    private Variable output(Variable input, Tensor cnoise) {
        Variable conditional = network.forward(input, cnoise, condition);
        if (unconditional == null) return conditional;
        Variable free = network.forward(input, cnoise, unconditional);
        return free.add(conditional.sub(free).mul(guidance));
    }

    @Override public Variable denoise(Variable y, double sigma) {
        if (!(sigma >= 0)) throw new IllegalArgumentException("noise level sigma must be >= 0, got " + sigma);
        if (sigma == 0) return y;
        int n = y.shape(0);
        condition.checkBatch(n);
        double t = process.timeOfNoiseLevel(sigma);
        // s = sigma a keeps s / a equal to the requested sigma even where the process clamps t (a discrete chain
        // asked for a noise level outside its table): only the network's conditioning then sees the clamped time
        double a = process.meanScale(t), s = sigma * a;
        int[] bshape = broadcastShape(y.shape());
        Tensor at = Tensor.full(y.backend(), y.dtype(), a, bshape), st = Tensor.full(y.backend(), y.dtype(), s, bshape);
        Variable xt = y.mul(a);
        Tensor cnoise = Tensor.full(y.backend(), y.dtype(), conditioning.value(t, sigma), n);
        Variable f = output(parameterisation.networkInput(xt, at, st), cnoise);
        return parameterisation.denoised(f, xt, at, st);
    }

    /**
     * D(scale x; sigma) = skip scale x + out F(input scale x) with the parameterisation's {@link Parameterisation#affine}
     * coefficients: the network input in one elementwise pass, and no pass after it (the sampler's update takes the
     * coefficients). The same D as {@link #denoise} up to rounding, guidance included (D is affine in F with
     * label-independent coefficients).
     */
    @Override public java.util.Optional<AffineDenoised> denoiseAffine(Tensor x, double scale, double sigma) {
        if (!(sigma > 0) || !(scale > 0)) throw new IllegalArgumentException("denoiseAffine needs sigma > 0 and scale > 0, got sigma "
                + sigma + ", scale " + scale);
        int n = x.shape(0);   // a condition that does not fit the batch is refused by the network
        double t = process.timeOfNoiseLevel(sigma);
        double a = process.meanScale(t), s = sigma * a;   // as in denoise
        Parameterisation.Affine k = parameterisation.affine(a, s);
        try (org.diffusion4j.autograd.NoGrad g = org.diffusion4j.autograd.NoGrad.enter()) {
            Tensor cnoise = Tensor.full(x.backend(), x.dtype(), conditioning.value(t, sigma), n);
            Tensor f = output(Variable.constant(x.mul(k.input() * scale)), cnoise).value();
            return java.util.Optional.of(new AffineDenoised(k.skip() * scale, k.out(), f));
        }
    }

    /**
     * At the zero-SNR end of a rescaled discrete schedule (alpha-bar_T = 0, Lin et al. 2023) x_T is pure noise: the
     * network runs at the last timestep with a = 0, s = 1. Only x0- and v-prediction can answer there (v: D = -F);
     * epsilon, score and EDM outputs carry no information about x_0 at zero signal.
     */
    @Override public Tensor denoiseFromPureNoise(Tensor x) {
        if (!(process instanceof org.diffusion4j.diffusion.schedule.DiscreteSchedule ds) || ds.alphaBar(ds.steps() - 1) != 0) {
            throw new UnsupportedOperationException("pure-noise denoising needs a discrete schedule rescaled to zero terminal SNR, got "
                    + process);
        }
        if (parameterisation != Parameterisation.V && parameterisation != Parameterisation.X0) {
            throw new UnsupportedOperationException(parameterisation + "-prediction is ill-posed at zero SNR; use v or x0 (Lin et al. 2023, Sec. 3.2)");
        }
        condition.checkBatch(x.shape(0));
        try (org.diffusion4j.autograd.NoGrad g = org.diffusion4j.autograd.NoGrad.enter()) {
            int[] bshape = broadcastShape(x.shape());
            Tensor a = Tensor.full(x.backend(), x.dtype(), 0.0, bshape), s = Tensor.full(x.backend(), x.dtype(), 1.0, bshape);
            double t = ds.steps() - 1;
            Tensor cnoise = Tensor.full(x.backend(), x.dtype(), conditioning.value(t, Double.POSITIVE_INFINITY), x.shape(0));
            Variable xt = Variable.constant(x);
            Variable f = output(parameterisation.networkInput(xt, a, s), cnoise);
            return parameterisation.denoised(f, xt, a, s).value();
        }
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
