package org.diffusion4j.experiments.course;

import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.sampler.SampleRequest;
import org.diffusion4j.diffusion.sampler.SampleResult;
import org.diffusion4j.diffusion.sampler.Sampler;
import org.diffusion4j.tensor.Tensor;

/** A deliberately first-order sampler for the test: Euler steps x += (s' - s) (x - D(x; s)) / s over given levels. */
final class EulerOnLevels implements Sampler {
    private final double[] sigmas;

    EulerOnLevels(double[] sigmas) { this.sigmas = sigmas.clone(); }

    @Override public String name() { return "euler-on-levels"; }

    @Override public SampleResult sample(Denoiser model, SampleRequest request) {
        Tensor x = request.initialNoise().mul(sigmas[0]);
        long nfe = 0;
        for (int i = 0; i + 1 < sigmas.length; i++) {
            double s = sigmas[i], next = sigmas[i + 1];
            Tensor d = model.denoise(x, s);
            nfe++;
            x = Tensor.linearCombination(1 + (next - s) / s, x, -(next - s) / s, d, 0, null);
        }
        return new SampleResult(x, nfe);
    }
}
