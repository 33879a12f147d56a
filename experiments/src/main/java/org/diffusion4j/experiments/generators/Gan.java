package org.diffusion4j.experiments.generators;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.nn.Module;
import org.diffusion4j.tensor.Tensor;

/**
 * A GAN (Goodfellow et al. 2014): generator G: R^latent -> R^dim, discriminator D: R^dim -> R, both {@link Mlp}s
 * (ReLU in G, leaky ReLU 0.2 in D, as in the 2-D experiments of VEEGAN and PacGAN). The parameters are named
 * generator.* and discriminator.*, so one checkpoint holds both players.
 */
public final class Gan extends Module implements LatentGenerator {
    private final Mlp generator, discriminator;
    private final int latent, dim;

    public Gan(int dim, int latent, int hidden, int depth) {
        if (latent < 1) throw new IllegalArgumentException("GAN latent dimension must be >= 1, got " + latent);
        this.latent = latent;
        this.dim = dim;
        this.generator = register("generator", new Mlp(latent, hidden, depth, dim, 0.0));
        this.discriminator = register("discriminator", new Mlp(dim, hidden, depth, 1, 0.2));
    }

    public Mlp generator() { return generator; }

    public Mlp discriminator() { return discriminator; }

    @Override public int latentDim() { return latent; }

    public int dim() { return dim; }

    /** G(z) for latents z [N, latent]; a GAN takes no noise level, so noiseCondition must be null. */
    @Override public Variable forward(Variable z, Tensor noiseCondition, Conditioning condition) {
        if (noiseCondition != null) throw new IllegalArgumentException("a GAN's generator takes no noise level");
        if (!Conditioning.orNone(condition).isNone()) throw new IllegalArgumentException("this GAN is unconditional");
        return generator.forward(z);
    }

    @Override public Tensor generate(int count, long seed) {
        Tensor w = generator.firstLayer().weight().value();
        try (NoGrad g = NoGrad.enter()) {
            Tensor z = Tensor.randn(w.backend(), w.dtype(), seed, 0, count, latent);
            return generator.forward(Variable.constant(z)).value();
        }
    }

    @Override public Module module() { return this; }
}
