package org.diffusion4j.experiments.generators;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.nn.Module;
import org.diffusion4j.nn.Parameter;
import org.diffusion4j.tensor.Tensor;

/**
 * A VAE (Kingma and Welling 2014) with a Gaussian encoder q(z|x) = N(mu(x), diag exp(logvar(x))) (the encoder's
 * output [N, 2 latent] holds mu, then logvar) and prior p(z) = N(0, I). Its decoder's likelihood is one of:
 * <ul>
 *   <li>{@link Likelihood#GAUSSIAN} (2-D data): p(x|z) = N(m(z), diag sigma^2), sigma a learned array shared by all z
 *       (parameter logStd, starting at 0), MLP encoder and decoder with leaky ReLU 0.2;</li>
 *   <li>{@link Likelihood#BERNOULLI} (images in [-1, 1]): each pixel's grey value t = (x + 1) / 2 in [0, 1] is the
 *       target of a Bernoulli with logit l(z), -ln p(x|z) = sum softplus(l) - t l (the cross-entropy; Kingma and
 *       Welling's MNIST decoder, Appendix C.1). Conv encoder and decoder ({@link ConvEncoder}, {@link ConvDecoder}).
 *       A learned Gaussian std would shrink without bound on the many pixels that are exactly -1.</li>
 * </ul>
 */
public final class Vae extends Module implements LatentGenerator {
    /** The decoder's distribution. */
    public enum Likelihood { GAUSSIAN, BERNOULLI }

    private final FeedForward encoder, decoder;
    private final Parameter logStd;
    private final int latent;
    private final int[] sampleShape;
    private final Likelihood likelihood;

    /** The 2-D VAE: MLP encoder and decoder, Gaussian decoder with learned std, samples of dim values. */
    public Vae(int dim, int latent, int hidden, int depth) {
        this(new Mlp(dim, hidden, depth, 2 * checked(latent), 0.2), new Mlp(latent, hidden, depth, dim, 0.2), latent,
                new int[]{dim}, Likelihood.GAUSSIAN);
    }

    /** Any pair: encoder [N, ...] -> [N, 2 latent], decoder [N, latent] -> [N, ...sampleShape]. */
    public Vae(FeedForward encoder, FeedForward decoder, int latent, int[] sampleShape, Likelihood likelihood) {
        this.latent = checked(latent);
        this.sampleShape = sampleShape.clone();
        this.likelihood = likelihood;
        this.encoder = encoder;
        this.decoder = decoder;
        register("encoder", encoder.module());
        register("decoder", decoder.module());
        Tensor w = parameters().get(0).value();
        this.logStd = likelihood == Likelihood.GAUSSIAN
                ? registerParameter("logStd", Tensor.zeros(w.backend(), w.dtype(), sampleShape)) : null;
    }

    private static int checked(int latent) {
        if (latent < 1) throw new IllegalArgumentException("VAE latent dimension must be >= 1, got " + latent);
        return latent;
    }

    public FeedForward encoder() { return encoder; }

    public FeedForward decoder() { return decoder; }

    public Likelihood likelihood() { return likelihood; }

    /** ln sigma of the Gaussian decoder, of the sample's shape; null for a Bernoulli decoder. */
    public Parameter logStd() { return logStd; }

    @Override public int latentDim() { return latent; }

    public int[] sampleShape() { return sampleShape.clone(); }

    /** The decoder's output for latents z [N, latent] (its mean, or its logits); noiseCondition must be null. */
    @Override public Variable forward(Variable z, Tensor noiseCondition, Conditioning condition) {
        if (noiseCondition != null) throw new IllegalArgumentException("a VAE's decoder takes no noise level");
        if (!Conditioning.orNone(condition).isNone()) throw new IllegalArgumentException("this VAE is unconditional");
        return decoder.forward(z);
    }

    /**
     * Samples of the model, z ~ N(0, I) on streams 0..count-1 of seed. Gaussian: x = m(z) + sigma * e, e ~ N(0, I) on
     * streams count..2 count-1, the decoder's full distribution. Bernoulli: the decoder's mean 2 sigmoid(l) - 1, as
     * VAE image samples are usually shown (drawing each pixel would give binary noise).
     */
    @Override public Tensor generate(int count, long seed) {
        Tensor w = parameters().get(0).value();
        try (NoGrad g = NoGrad.enter()) {
            Tensor z = Tensor.randn(w.backend(), w.dtype(), seed, 0, count, latent);
            Tensor out = decoder.forward(Variable.constant(z)).value();
            if (likelihood == Likelihood.BERNOULLI) return out.sigmoid().affine(2.0, -1.0);
            int[] shape = new int[sampleShape.length + 1];
            shape[0] = count;
            System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
            Tensor e = Tensor.randn(w.backend(), w.dtype(), seed, count, shape);
            return out.add(e.mul(logStd.value().exp()));
        }
    }

    @Override public Module module() { return this; }
}
