package org.diffusion4j.experiments.generators;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.nn.Module;
import org.diffusion4j.nn.Parameter;
import org.diffusion4j.tensor.Tensor;

/**
 * A VAE (Kingma and Welling 2014) with a Gaussian encoder q(z|x) = N(mu(x), diag exp(logvar(x))) and a Gaussian
 * decoder p(x|z) = N(m(z), diag sigma^2), sigma a learned vector shared by all z (parameter logStd, starting at 0),
 * prior p(z) = N(0, I). Encoder and decoder are {@link Mlp}s with leaky ReLU 0.2.
 */
public final class Vae extends Module implements LatentGenerator {
    private final Mlp encoder, decoder;
    private final Parameter logStd;
    private final int latent, dim;

    public Vae(int dim, int latent, int hidden, int depth) {
        if (latent < 1) throw new IllegalArgumentException("VAE latent dimension must be >= 1, got " + latent);
        this.latent = latent;
        this.dim = dim;
        this.encoder = register("encoder", new Mlp(dim, hidden, depth, 2 * latent, 0.2));
        this.decoder = register("decoder", new Mlp(latent, hidden, depth, dim, 0.2));
        Tensor w = encoder.firstLayer().weight().value();
        this.logStd = registerParameter("logStd", Tensor.zeros(w.backend(), w.dtype(), dim));
    }

    public Mlp encoder() { return encoder; }

    public Mlp decoder() { return decoder; }

    /** ln sigma of the decoder, [dim]. */
    public Parameter logStd() { return logStd; }

    @Override public int latentDim() { return latent; }

    public int dim() { return dim; }

    /** The decoder's mean m(z) for latents z [N, latent]; noiseCondition must be null. */
    @Override public Variable forward(Variable z, Tensor noiseCondition, Conditioning condition) {
        if (noiseCondition != null) throw new IllegalArgumentException("a VAE's decoder takes no noise level");
        if (!Conditioning.orNone(condition).isNone()) throw new IllegalArgumentException("this VAE is unconditional");
        return decoder.forward(z);
    }

    /**
     * Samples of the model, x = m(z) + sigma * e with z ~ N(0, I) and e ~ N(0, I) (z on streams 0..count-1, e on
     * streams count..2 count-1 of seed): the decoder's full distribution, not only its mean.
     */
    @Override public Tensor generate(int count, long seed) {
        Tensor w = decoder.firstLayer().weight().value();
        try (NoGrad g = NoGrad.enter()) {
            Tensor z = Tensor.randn(w.backend(), w.dtype(), seed, 0, count, latent);
            Tensor e = Tensor.randn(w.backend(), w.dtype(), seed, count, count, dim);
            return decoder.forward(Variable.constant(z)).value().add(e.mul(logStd.value().exp()));
        }
    }

    @Override public Module module() { return this; }
}
