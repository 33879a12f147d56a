package org.diffusion4j.diffusion.inpaint;

import org.diffusion4j.diffusion.ddpm.DdpmChain;
import org.diffusion4j.diffusion.ddpm.ReverseVariance;
import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.tensor.Tensor;

/**
 * One reverse move of a discrete chain from timestep index i to a lower index to (-1: x_0), the move an inpainter
 * applies to the whole state before it puts the known pixels back. The same maths as {@link
 * org.diffusion4j.diffusion.sampler.DdpmSampler} and {@link org.diffusion4j.diffusion.sampler.DdimSampler} (a test
 * checks DDIM against the sampler to the bit), written as a single move so that RePaint can interleave moves up.
 */
public interface ReverseStep {
    /**
     * @param noise standard normals of x's shape, used only when {@link #usesNoise} says so (else may be null)
     */
    Tensor step(Denoiser model, Tensor x, int i, int to, Tensor noise);

    /** Whether the move from i to to draws noise. */
    boolean usesNoise(int to);

    /** "ddpm" or "ddim", for messages and file names. */
    String name();

    /**
     * DDPM's ancestral move (Ho et al. 2020, Algorithm 2; respaced as Nichol &amp; Dhariwal 2021, Sec. 4):
     * x_to ~ N(posterior mean at the model's x_0 estimate, sigma^2) with sigma^2 = beta or beta-tilde; no noise
     * into x_0.
     */
    static ReverseStep ddpm(DiscreteSchedule schedule, ReverseVariance variance) {
        DdpmChain chain = new DdpmChain(schedule);
        return new ReverseStep() {
            @Override public Tensor step(Denoiser model, Tensor x, int i, int to, Tensor noise) {
                DdpmChain.Posterior p = chain.posterior(i, to);
                Tensor mean = p.mean(chain.predictX0(model, x, i), x);
                if (to < 0) return mean;
                return Tensor.linearCombination(1, mean, Math.sqrt(p.variance(variance)), noise, 0, null);
            }

            @Override public boolean usesNoise(int to) { return to >= 0; }

            @Override public String name() { return "ddpm"; }
        };
    }

    /**
     * DDIM's move (Song, Meng &amp; Ermon 2021, eq. 12 with s from eq. 16):
     * x_to = sqrt(ab_to) x0-hat + sqrt(1 - ab_to - s^2) eps-hat + s z, s = eta sqrt((1 - ab_to)/(1 - ab_i)) sqrt(1 - ab_i/ab_to).
     */
    static ReverseStep ddim(DiscreteSchedule schedule, double eta) {
        if (!(eta >= 0)) throw new IllegalArgumentException("eta must be >= 0, got " + eta);
        return new ReverseStep() {
            @Override public Tensor step(Denoiser model, Tensor x, int i, int to, Tensor noise) {
                double ab = schedule.alphaBar(i), abTo = to < 0 ? 1.0 : schedule.alphaBar(to);
                Tensor x0 = ab == 0 ? model.denoiseFromPureNoise(x) : model.denoise(x.mul(1 / Math.sqrt(ab)), schedule.sigma(i));
                Tensor eps = Tensor.linearCombination(1 / Math.sqrt(1 - ab), x, -Math.sqrt(ab) / Math.sqrt(1 - ab), x0, 0, null);
                double s = eta * Math.sqrt((1 - abTo) / (1 - ab)) * Math.sqrt(Math.max(0, 1 - ab / abTo));
                double dirCoef = Math.sqrt(Math.max(0, 1 - abTo - s * s));
                return Tensor.linearCombination(Math.sqrt(abTo), x0, dirCoef, eps, s, usesNoise(to) ? noise : null);
            }

            @Override public boolean usesNoise(int to) { return eta > 0 && to >= 0; }

            @Override public String name() { return "ddim"; }
        };
    }
}
