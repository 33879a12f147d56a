package org.diffusion4j.diffusion.objective;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.diffusion.net.NoiseConditionalNetwork;
import org.diffusion4j.diffusion.param.NetworkDenoiser;
import org.diffusion4j.diffusion.param.NoiseConditioning;
import org.diffusion4j.diffusion.param.Parameterisation;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.schedule.MarginalProcess;
import org.diffusion4j.diffusion.sde.Sde;
import org.diffusion4j.tensor.Tensor;

/**
 * The one training objective behind DDPM, NCSN, score SDEs and EDM (Karras et al. 2022, eq. 2 and Table 1):
 * E_{x_0, t, eps} lambda(t) |F(x_t; c_noise) - target|^2 with x_t = a(t) x_0 + s(t) eps, where the parameterisation
 * fixes F's meaning and target, the noise-level sampler the distribution of t, and the weighting lambda. The
 * per-sample squared error is averaged over the sample's dimensions, then the weighted errors over the batch.
 * Named constructors give the classic losses.
 */
public final class DenoisingObjective {
    private final MarginalProcess process;
    private final Parameterisation parameterisation;
    private final NoiseConditioning conditioning;
    private final NoiseLevelSampler levels;
    private final Weighting weighting;

    public DenoisingObjective(MarginalProcess process, Parameterisation parameterisation, NoiseConditioning conditioning,
                              NoiseLevelSampler levels, Weighting weighting) {
        if (process == null || parameterisation == null || conditioning == null || levels == null || weighting == null) {
            throw new IllegalArgumentException("process, parameterisation, conditioning, noise-level sampler and weighting must all be given");
        }
        this.process = process;
        this.parameterisation = parameterisation;
        this.conditioning = conditioning;
        this.levels = levels;
        this.weighting = weighting;
    }

    /** DDPM's MSE on a discrete chain with uniform timesteps, for eps-, x0- or v-prediction (Ho et al. 2020, eq. 14). */
    public static DenoisingObjective ddpm(DiscreteSchedule schedule, Parameterisation p, Weighting w) {
        return new DenoisingObjective(schedule, p, NoiseConditioning.time(1), NoiseLevelSampler.uniformTimestep(schedule.steps()), w);
    }

    /** NCSN's denoising score matching over fixed noise levels with lambda(sigma) = sigma^2, network conditioned on sigma. */
    public static DenoisingObjective ncsn(double[] sigmas, Sde veSde) {
        return new DenoisingObjective(veSde, Parameterisation.SCORE, NoiseConditioning.sigma(), NoiseLevelSampler.uniformLevel(sigmas),
                Weighting.scoreSigmaSquared());
    }

    /**
     * Continuous-time score matching on an SDE (Song et al. 2021, eq. 7) with t uniform on [tMin, T], conditioned on
     * 999 t; lambda = sigma(t)^2, or g(t)^2 with likelihood weighting.
     */
    public static DenoisingObjective continuousScoreMatching(Sde sde, double tMin, boolean likelihoodWeighting) {
        return new DenoisingObjective(sde, Parameterisation.SCORE, NoiseConditioning.time(999),
                NoiseLevelSampler.uniformTime(tMin, sde.endTime()), likelihoodWeighting ? Weighting.likelihood(sde) : Weighting.scoreSigmaSquared());
    }

    /** EDM's loss: log-normal sigma (P_mean = -1.2, P_std = 1.2), EDM preconditioning and lambda (Karras et al. 2022, Table 1). */
    public static DenoisingObjective edm(Sde process, double sigmaData) {
        return edm(process, sigmaData, -1.2, 1.2);
    }

    /** EDM's loss with ln sigma ~ N(pMean, pStd^2) (Karras et al. 2022, Table 1). */
    public static DenoisingObjective edm(Sde process, double sigmaData, double pMean, double pStd) {
        return new DenoisingObjective(process, Parameterisation.edm(sigmaData), NoiseConditioning.logSigmaQuarter(),
                NoiseLevelSampler.logNormal(pMean, pStd), Weighting.edm(sigmaData));
    }

    /** The denoiser D(y; sigma) of a network trained with this objective (its parameterisation, process and conditioning). */
    public NetworkDenoiser denoiser(NoiseConditionalNetwork network) {
        return new NetworkDenoiser(network, parameterisation, process, conditioning);
    }

    public Parameterisation parameterisation() { return parameterisation; }

    public NoiseConditioning conditioning() { return conditioning; }

    public MarginalProcess process() { return process; }

    /**
     * The loss on a batch x_0 [N, ...]: a scalar Variable to call backward() on. Sample n's time and noise come from
     * Philox stream n under seed (times with seed, eps with seed + 1), so the loss of a sample does not depend on
     * its batch. The condition (null or NONE: none) goes to the network as it is; dropout for guidance is the caller's.
     */
    public Variable loss(NoiseConditionalNetwork network, Tensor x0, Conditioning condition, long seed) {
        return lossTerms(network, x0, condition, seed).mean();
    }

    /** The weighted per-sample losses, shape [N]. */
    public Variable lossTerms(NoiseConditionalNetwork network, Tensor x0, Conditioning condition, long seed) {
        int n = x0.shape(0);
        double[] t = levels.times(process, n, seed);
        double[] a = new double[n], s = new double[n], c = new double[n], w = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = process.meanScale(t[i]);
            s[i] = process.std(t[i]);
            c[i] = conditioning.value(t[i], s[i] / a[i]);
            w[i] = weighting.weight(t[i], a[i], s[i], parameterisation.denoisedErrorScale(a[i], s[i]));
        }
        int[] bshape = new int[x0.rank()];
        java.util.Arrays.fill(bshape, 1);
        bshape[0] = n;
        Tensor at = Tensor.of(x0.backend(), x0.dtype(), a, bshape), st = Tensor.of(x0.backend(), x0.dtype(), s, bshape);
        Tensor eps = Tensor.randn(x0.backend(), x0.dtype(), seed + 1, 0, x0.shape());
        Tensor xt = Tensor.linearCombination(1, x0.mul(at), 1, eps.mul(st), 0, null);
        Variable f = network.forward(parameterisation.networkInput(Variable.constant(xt), at, st),
                Tensor.of(x0.backend(), x0.dtype(), c, n), condition);
        Tensor target = parameterisation.target(x0, eps, at, st);
        Variable perSample = f.sub(Variable.constant(target)).square().reshape(n, -1).mean(false, 1);
        return perSample.mul(Variable.constant(Tensor.of(x0.backend(), x0.dtype(), w, n)));
    }
}
