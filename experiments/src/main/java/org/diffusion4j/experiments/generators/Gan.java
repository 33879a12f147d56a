package org.diffusion4j.experiments.generators;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.nn.Module;
import org.diffusion4j.tensor.Tensor;

/**
 * A GAN (Goodfellow et al. 2014): generator G: R^latent -> samples, discriminator D: samples -> R. For 2-D data both
 * are {@link Mlp}s (ReLU in G, leaky ReLU 0.2 in D, as in the 2-D experiments of VEEGAN and PacGAN); for images the
 * DCGAN pair {@link ConvDecoder} and {@link ConvEncoder}. The parameters are named generator.* and discriminator.*,
 * so one checkpoint holds both players.
 */
public final class Gan extends Module implements LatentGenerator {
    private final FeedForward generator, discriminator;
    private final int latent;

    /** The 2-D GAN: MLPs of depth hidden layers of width hidden for samples of dim values. */
    public Gan(int dim, int latent, int hidden, int depth) {
        this(checkedMlp(latent, hidden, depth, dim, 0.0), new Mlp(dim, hidden, depth, 1, 0.2), latent);
    }

    /** Any pair: generator [N, latent] -> [N, ...], discriminator [N, ...] -> [N, 1]. */
    public Gan(FeedForward generator, FeedForward discriminator, int latent) {
        if (latent < 1) throw new IllegalArgumentException("GAN latent dimension must be >= 1, got " + latent);
        this.latent = latent;
        this.generator = generator;
        this.discriminator = discriminator;
        register("generator", generator.module());
        register("discriminator", discriminator.module());
    }

    private static Mlp checkedMlp(int in, int hidden, int depth, int out, double slope) {
        if (in < 1) throw new IllegalArgumentException("GAN latent dimension must be >= 1, got " + in);
        return new Mlp(in, hidden, depth, out, slope);
    }

    public FeedForward generator() { return generator; }

    public FeedForward discriminator() { return discriminator; }

    @Override public int latentDim() { return latent; }

    /** G(z) for latents z [N, latent]; a GAN takes no noise level, so noiseCondition must be null. */
    @Override public Variable forward(Variable z, Tensor noiseCondition, Conditioning condition) {
        if (noiseCondition != null) throw new IllegalArgumentException("a GAN's generator takes no noise level");
        if (!Conditioning.orNone(condition).isNone()) throw new IllegalArgumentException("this GAN is unconditional");
        return generator.forward(z);
    }

    @Override public Tensor generate(int count, long seed) {
        Tensor w = parameters().get(0).value();
        try (NoGrad g = NoGrad.enter()) {
            Tensor z = Tensor.randn(w.backend(), w.dtype(), seed, 0, count, latent);
            return generator.forward(Variable.constant(z)).value();
        }
    }

    @Override public Module module() { return this; }
}
