package org.diffusion4j.experiments.generators;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.diffusion.net.NoiseConditionalNetwork;
import org.diffusion4j.experiments.train.TrainingLoss;
import org.diffusion4j.tensor.RandomKind;
import org.diffusion4j.tensor.Tensor;

import java.util.List;
import java.util.Locale;

/**
 * The two players' losses summed into one scalar whose single backward pass gives each player the gradient of its
 * own loss: the discriminator's loss sees the generated batch detached (no gradient into G), the generator's loss
 * goes through the discriminator with frozen weights (no gradient into D; {@link Mlp#forward(Variable, boolean)}).
 * One optimiser step then updates both players at once from the same point: simultaneous gradient descent
 * (Mescheder et al. 2017, "The Numerics of GANs", Sec. 2), not the alternating updates of Goodfellow et al.'s
 * Algorithm 1. AdamW keeps separate moments per parameter, so this is two Adams with equal settings.
 *
 * <p>With d_r = D(x), d_f = D(G(z)):
 * <ul>
 *   <li>non-saturating (Goodfellow et al. 2014, Sec. 3): L_D = E softplus(-d_r) + E softplus(d_f),
 *       L_G = E softplus(-d_f), i.e. -E ln sigmoid(D(G(z)));</li>
 *   <li>hinge (Lim and Ye 2017; Miyato et al. 2018, eq. 17): L_D = E relu(1 - d_r) + E relu(1 + d_f), L_G = -E d_f.</li>
 *   <li>wgan-gp (Gulrajani et al. 2017, eq. 3 and Algorithm 1): the critic's L_D = E d_f - E d_r + {@link GradientPenalty}
 *       with lambda 10, L_G = -E d_f; MLP critic only. One critic update per generator update here (the paper
 *       takes 5), as the other losses.</li>
 * </ul>
 */
public final class GanLoss implements TrainingLoss {
    public static final List<String> KINDS = List.of("non-saturating", "hinge", "wgan-gp");

    private final String kind;

    public GanLoss(String kind) {
        if (!KINDS.contains(kind)) throw new IllegalArgumentException("GAN loss '" + kind + "': expected one of " + KINDS);
        this.kind = kind;
    }

    public String kind() { return kind; }

    /** The latents of a step: [B, latent] standard normals of the step's key, row r on stream r. */
    static Tensor latents(Tensor like, long seed, int rows, int latent) {
        return Tensor.random(like.backend(), like.dtype(), RandomKind.NORMAL, seed, 0, rows, latent);
    }

    @Override public Variable loss(NoiseConditionalNetwork network, Tensor x0, Conditioning condition, long seed) {
        Gan gan = (Gan) network;
        if (!Conditioning.orNone(condition).isNone()) throw new IllegalArgumentException("this GAN is unconditional");
        Players p = players(gan, x0, seed);
        return p.discriminatorLoss.add(p.generatorLoss);
    }

    /** The two losses of one step, each a scalar. */
    public record Players(Variable discriminatorLoss, Variable generatorLoss) { }

    public Players players(Gan gan, Tensor x0, long seed) {
        Variable fake = gan.generator().forward(Variable.constant(latents(x0, seed, x0.shape(0), gan.latentDim())));
        Variable real = gan.discriminator().forward(Variable.constant(x0));
        Variable fakeForD = gan.discriminator().forward(fake.detach());
        Variable fakeForG = gan.discriminator().forward(fake, true);
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "non-saturating" -> new Players(
                    Activations.softplus(real.neg()).mean().add(Activations.softplus(fakeForD).mean()),
                    Activations.softplus(fakeForG.neg()).mean());
            case "hinge" -> new Players(
                    real.neg().add(1.0).relu().mean().add(fakeForD.add(1.0).relu().mean()),
                    fakeForG.mean().neg());
            case "wgan-gp" -> {
                if (!(gan.discriminator() instanceof Mlp critic)) throw new IllegalArgumentException("the wgan-gp loss needs "
                        + "the MLP critic of the 2-D GAN (its input gradient is written out); the DCGAN critic has none");
                Tensor eps = GradientPenalty.interpolationWeights(x0, seed, x0.shape(0));
                Variable penalty = GradientPenalty.of(critic::inputGradient, x0, fake.value(), eps, GradientPenalty.LAMBDA);
                yield new Players(fakeForD.mean().sub(real.mean()).add(penalty), fakeForG.mean().neg());
            }
            default -> throw new IllegalStateException(kind);
        };
    }
}
