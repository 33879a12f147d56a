package org.diffusion4j.diffusion.likelihood;

import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.sampler.SampleRequest;
import org.diffusion4j.diffusion.sampler.SampleResult;
import org.diffusion4j.diffusion.sampler.Sampler;
import org.diffusion4j.diffusion.sde.Sde;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.RandomKind;
import org.diffusion4j.tensor.Tensor;

/**
 * What a command line needs for the analytic models: sample N points with any sampler (the model's exact denoiser
 * standing in for a network), and the negative log-likelihood of points in bits per dimension, exactly from the
 * closed-form density or by the probability-flow ODE of any denoiser (so the two can be compared). Toy data is
 * continuous: bits/dim here is NLL / (D ln 2), without the 8-bit dequantisation offset.
 */
public final class AnalyticModelEvaluation {
    private AnalyticModelEvaluation() { }

    /** N samples of the model's distribution drawn by the sampler from its exact denoiser, with the NFE spent. */
    public static SampleResult sample(GaussianMixture model, Sampler sampler, Backend backend, DType dtype, int n, long seed) {
        return sampler.sample(model, SampleRequest.of(backend, dtype, seed, n, model.dimension()));
    }

    /** Exact mean NLL of points [N, D] under the model, in bits per dimension. */
    public static double exactNllBitsPerDim(GaussianMixture model, Tensor points) {
        double nll = -model.logDensity(points).mean().item();
        return nll / (model.dimension() * Math.log(2));
    }

    /**
     * Mean NLL of points [N, D] in bits per dimension under the probability-flow ODE of a denoiser on an SDE
     * (Rademacher Hutchinson probes for D &gt; 8, the exact trace otherwise; rtol = atol = 1e-5, tMin = 1e-5).
     */
    public static double odeNllBitsPerDim(Denoiser model, Sde sde, Tensor points, long seed) {
        int dims = (int) (points.numel() / points.shape(0));
        RandomKind probe = dims > 8 ? RandomKind.RADEMACHER : null;
        ProbabilityFlowLikelihood lik = new ProbabilityFlowLikelihood(sde, 1e-5, 1e-5, 1e-5, probe);
        return lik.logLikelihood(model, points, seed).meanNll() / (dims * Math.log(2));
    }
}
