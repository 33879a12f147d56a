package org.diffusion4j.experiments.generators;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.diffusion.net.NoiseConditionalNetwork;
import org.diffusion4j.experiments.train.TrainingLoss;
import org.diffusion4j.tensor.RandomKind;
import org.diffusion4j.tensor.Tensor;

/**
 * The negative ELBO of a {@link Vae} in nats per sample, averaged over the batch (Kingma and Welling 2014, eq. 10),
 * with one reparameterised draw z = mu + exp(logvar / 2) e per sample:
 * <pre>
 *   -ELBO(x) = -ln N(x; m(z), diag sigma^2) + KL(N(mu, diag exp(logvar)) || N(0, I))
 *            = sum_j [ (x_j - m_j)^2 / (2 sigma_j^2) + ln sigma_j + ln(2 pi) / 2 ]
 *              + sum_k (mu_k^2 + exp(logvar_k) - 1 - logvar_k) / 2.
 * </pre>
 * Divided by dim ln 2 it is in bits per dimension (of a density, so it can be negative for 2-D data). With a
 * Bernoulli decoder (images) the first term is sum_j softplus(l_j) - t_j l_j, t = (x + 1) / 2 ({@link Vae}); both
 * terms are summed over every value of a sample, whatever its shape.
 */
public final class VaeLoss implements TrainingLoss {
    @Override public Variable loss(NoiseConditionalNetwork network, Tensor x0, Conditioning condition, long seed) {
        if (!Conditioning.orNone(condition).isNone()) throw new IllegalArgumentException("this VAE is unconditional");
        Terms t = terms((Vae) network, x0, seed);
        return t.reconstruction.add(t.kl).mean();
    }

    /** Per sample [B]: the reconstruction term -ln p(x|z) and the KL term. */
    public record Terms(Variable reconstruction, Variable kl) { }

    public Terms terms(Vae vae, Tensor x0, long seed) {
        int b = x0.shape(0), latent = vae.latentDim();
        Variable h = vae.encoder().forward(Variable.constant(x0));
        Variable mu = h.narrow(1, 0, latent), logvar = h.narrow(1, latent, latent);
        Tensor e = Tensor.random(x0.backend(), x0.dtype(), RandomKind.NORMAL, seed, 0, b, latent);
        Variable z = mu.add(logvar.mul(0.5).exp().mul(e));
        Variable out = vae.decoder().forward(z);
        int[] sampleAxes = new int[x0.rank() - 1];
        for (int a = 0; a < sampleAxes.length; a++) sampleAxes[a] = a + 1;
        Variable perValue;
        if (vae.likelihood() == Vae.Likelihood.BERNOULLI) {
            // -ln p = softplus(l) - t l with t = (x + 1) / 2, the cross-entropy of the grey value t and sigmoid(l)
            Tensor t = x0.affine(0.5, 0.5);
            perValue = Activations.softplus(out).sub(out.mul(t));
        } else {
            Variable logStd = vae.logStd();
            Variable scaled = Variable.constant(x0).sub(out).mul(logStd.neg().exp());
            perValue = scaled.square().mul(0.5).add(logStd).add(0.5 * Math.log(2 * Math.PI));
        }
        Variable reconstruction = perValue.sum(false, sampleAxes);
        Variable kl = mu.square().add(logvar.exp()).sub(1.0).sub(logvar).mul(0.5).sum(false, 1);
        return new Terms(reconstruction, kl);
    }
}
