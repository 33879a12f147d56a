package org.diffusion4j.diffusion.likelihood;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.model.CountingDenoiser;
import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.sampler.DormandPrince;
import org.diffusion4j.diffusion.sde.Sde;
import org.diffusion4j.tensor.RandomKind;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;

/**
 * Exact likelihood through the probability-flow ODE (Song et al. 2021, Sec. 4.3 and Appendix D.2): along
 * dx/dt = f~(x, t) = f(x, t) - g(t)^2 score(x, t) / 2 the log-density obeys d log p_t(x(t)) / dt = -div f~ (the
 * instantaneous change of variables, Chen et al. 2018), so
 * log p_0(x(0)) = log p_T(x(T)) + int_0^T div f~(x(t), t) dt.
 * The divergence is estimated with the Hutchinson-Skilling trace estimator div f~ = E_z[z^T (d f~ / dx) z] for a
 * fixed probe z per sample (Rademacher or Gaussian; Skilling 1989, Hutchinson 1990), where z^T (d f~ / dx) is one
 * vector-Jacobian product by reverse-mode autograd. The augmented ODE [x, delta] is integrated from tMin to T
 * with adaptive Dormand-Prince RK45 (Song et al. use rtol = atol = 1e-5, tMin = 1e-5).
 *
 * <p>With probe null the divergence is the exact trace, sum_i e_i^T (d f~ / dx) e_i, at D vector-Jacobian products
 * per evaluation: affordable for low-dimensional data, and free of the estimator's noise (whose per-sample standard
 * deviation can be of order one nat in 2D).
 */
@SuppressWarnings("try") // Scope and NoGrad blocks act by being open, their variables are unused
public final class ProbabilityFlowLikelihood {
    private final Sde sde;
    private final double tMin, rtol, atol;
    private final RandomKind probe;

    public ProbabilityFlowLikelihood(Sde sde, double tMin, double rtol, double atol, RandomKind probe) {
        if (sde == null) throw new IllegalArgumentException("sde must not be null");
        if (!(tMin > 0 && tMin < sde.endTime())) throw new IllegalArgumentException("tMin must be in (0, " + sde.endTime() + "), got " + tMin);
        if (probe == RandomKind.UNIFORM) throw new IllegalArgumentException("Hutchinson probes must be RADEMACHER or NORMAL (or null"
                + " for the exact trace), got " + probe);
        this.sde = sde;
        this.tMin = tMin;
        this.rtol = rtol;
        this.atol = atol;
        this.probe = probe;
    }

    /**
     * Per-sample log-likelihood and what went into it: logLikelihood [N] in nats, the prior term log p_T(x(T)), the
     * integrated divergence, the latent x(T), and the NFE (one per right-hand-side evaluation, each with its VJP).
     */
    public record Result(Tensor logLikelihood, Tensor priorLogDensity, Tensor divergenceIntegral, Tensor latent, long nfe) {
        /** Mean negative log-likelihood in nats per sample. */
        public double meanNll() { return -logLikelihood.mean().item(); }
    }

    /** log p_0(x) for a batch x [N, ...]; sample n's probe is Philox stream n under seed. */
    public Result logLikelihood(Denoiser model, Tensor x, long seed) {
        CountingDenoiser counted = new CountingDenoiser(model);
        int n = x.shape(0);
        int[] shape = x.shape();
        int dims = (int) (x.numel() / n);
        Tensor z = probe == null ? null : Tensor.random(x.backend(), x.dtype(), probe, seed, 0, n, dims);
        Tensor start = Tensor.concat(1, x.reshape(n, dims), x.zerosLike().reshape(n, dims).narrow(1, 0, 1));
        DormandPrince.Field field = (state, t) -> augmentedDrift(counted, state, t, z, shape, dims);
        DormandPrince.Result r = DormandPrince.integrate(field, start, tMin, sde.endTime(), rtol, atol);
        Tensor xT = r.x().narrow(1, 0, dims).contiguous();
        Tensor delta = r.x().narrow(1, dims, 1).reshape(n);
        Tensor prior = sde.priorLogDensity(xT);
        return new Result(prior.add(delta), prior, delta, xT.reshape(shape), counted.evaluations());
    }

    /** [f~(x, t), div f~] for the flattened state [N, D + 1], the divergence by Hutchinson's estimator or exactly. */
    private Tensor augmentedDrift(Denoiser model, Tensor state, double t, Tensor z, int[] shape, int dims) {
        int n = shape[0];
        Tensor x = state.narrow(1, 0, dims).contiguous().reshape(shape);
        if (z != null) {
            Tensor[] driftAndVjp = driftAndVjp(model, x, t, z.reshape(shape));
            Tensor divergence = driftAndVjp[1].reshape(n, dims).mul(z).sum(true, 1);
            return Tensor.concat(1, driftAndVjp[0].reshape(n, dims), divergence);
        }
        Tensor drift = null, divergence = null;
        for (int i = 0; i < dims; i++) {
            double[] unit = new double[dims];
            unit[i] = 1;
            Tensor e = Tensor.of(x.backend(), x.dtype(), unit, 1, dims).expand(n, dims).contiguous();
            Tensor[] dv = driftAndVjp(model, x, t, e.reshape(shape));
            Tensor diag = dv[1].reshape(n, dims).narrow(1, i, 1);
            divergence = divergence == null ? diag : divergence.add(diag);
            if (drift == null) drift = dv[0].reshape(n, dims);
        }
        return Tensor.concat(1, drift, divergence);
    }

    /** f~(x, t) and the vector-Jacobian product v^T (d f~ / dx) by one backward pass. */
    private Tensor[] driftAndVjp(Denoiser model, Tensor x, double t, Tensor v) {
        double a = sde.meanScale(t), sigma = sde.noiseLevel(t), g = sde.diffusion(t);
        Variable xv = Variable.parameter(x);
        // score on the SDE's coordinates: score_VE(x / a; sigma) / a
        Variable score = model.score(xv.mul(1 / a), sigma).mul(1 / a);
        Variable drift = xv.mul(sde.driftCoefficient(t)).sub(score.mul(0.5 * g * g));
        drift.backward(v);
        return new Tensor[]{drift.value(), xv.grad()};
    }

    // ----------------------------------------------------------------------------- images

    /**
     * Bits per dimension of 8-bit data from a continuous NLL on data scaled to a range of width dataRange (2 for
     * [-1, 1]): bpd = nll / (D ln 2) + log2(256 / dataRange). The offset converts a density on the scaled data to
     * probability mass on the 256 bins per dimension of width dataRange / 256 (7 bits for [-1, 1], 8 for [0, 1], as
     * in Song et al. 2021's likelihood evaluation); valid for uniformly dequantised inputs.
     */
    public static double bitsPerDim(double nllNatsPerSample, long dims, double dataRange) {
        if (dims < 1) throw new IllegalArgumentException("dimensions must be >= 1, got " + dims);
        if (!(dataRange > 0)) throw new IllegalArgumentException("data range must be > 0, got " + dataRange);
        return nllNatsPerSample / (dims * Math.log(2)) + Math.log(256 / dataRange) / Math.log(2);
    }

    /**
     * Uniform dequantisation of 8-bit data scaled to [-1, 1]: value k/255 (as x = 2k/255 - 1) becomes
     * 2 (k + u) / 256 - 1 with u ~ U(0, 1) (Song et al. 2021, Appendix D.2; Ho et al. 2020 use the discrete decoder
     * instead). Sample n draws from Philox stream n.
     */
    public static Tensor dequantise(Tensor x, long seed) {
        try (NoGrad g = NoGrad.enter(); Scope s = Scope.open()) {
            Tensor k = x.add(1).mul(255.0 / 2);
            Tensor u = Tensor.rand(x.backend(), x.dtype(), seed, 0, x.shape());
            return s.keep(k.add(u).mul(2.0 / 256).sub(1));
        }
    }
}
