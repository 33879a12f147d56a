package org.diffusion4j.diffusion.sde;

import org.diffusion4j.diffusion.schedule.MarginalProcess;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

/**
 * A forward diffusion dx = f(t) x dt + g(t) dw on t in [0, T] (Song et al. 2021, "Score-based generative modeling
 * through stochastic differential equations", eq. 5). All SDEs here have a drift linear in x, so the perturbation
 * kernel is Gaussian: p_0t(x(t) | x(0)) = N(alpha(t) x(0), sigma(t)^2 I), where alpha is {@link #meanScale} and
 * sigma is {@link #std} (their Appendix B, eq. 29 and 33).
 *
 * <p>Seen in the coordinates y = x / alpha(t), every such process is variance exploding with noise level
 * {@link #noiseLevel}(t) = sigma(t) / alpha(t) (Karras et al. 2022, eq. 4 with s(t) = alpha(t)). The denoisers of
 * this module speak that noise level, so one model serves all SDEs.
 *
 * <p>Tensors are batches [N, ...]: the first axis indexes samples, time is one scalar for the whole batch.
 */
public abstract class Sde implements MarginalProcess {
    private final double endTime;

    protected Sde(double endTime) {
        if (!(endTime > 0)) throw new IllegalArgumentException("end time T must be > 0, got " + endTime);
        this.endTime = endTime;
    }

    /** T, the end of the forward process (1 for VP, sub-VP and VE). */
    public double endTime() { return endTime; }

    /** The drift's coefficient f(t), so that the drift is f(x, t) = f(t) x. */
    public abstract double driftCoefficient(double t);

    /** g(t), the diffusion coefficient. */
    public abstract double diffusion(double t);

    /** alpha(t): the mean of p_0t is alpha(t) x(0). */
    @Override public abstract double meanScale(double t);

    /** sigma(t): the standard deviation of p_0t (per dimension). */
    @Override public abstract double std(double t);

    /** The variance-exploding noise level sigma(t) / alpha(t) at time t. */
    @Override public double noiseLevel(double t) { return std(t) / meanScale(t); }

    /** The time at which {@link #noiseLevel} equals the given sigma (a monotone inverse). */
    @Override public abstract double timeOfNoiseLevel(double sigma);

    /** Standard deviation of the prior p_T that sampling starts from (per dimension; its mean is 0). */
    public abstract double priorStd();

    /** A short description with its parameters. */
    public abstract String describe();

    // ----------------------------------------------------------------------------- on tensors

    /** f(x, t) = f(t) x. */
    public Tensor drift(Tensor x, double t) { return x.mul(driftCoefficient(t)); }

    /** The marginal mean alpha(t) x0 of p_0t(x | x0). */
    public Tensor marginalMean(Tensor x0, double t) { return x0.mul(meanScale(t)); }

    /** A draw of x(t) given x(0): alpha(t) x0 + sigma(t) eps. */
    public Tensor perturb(Tensor x0, Tensor eps, double t) {
        return Tensor.linearCombination(meanScale(t), x0, std(t), eps, 0, null);
    }

    /**
     * n draws from the prior N(0, priorStd^2 I) with per-sample Philox streams (sample i uses stream
     * firstStream + i), so a sample's noise does not depend on the batch it is drawn in.
     */
    public Tensor priorSample(Backend backend, DType dtype, long seed, long firstStream, int... shape) {
        return Tensor.randn(backend, dtype, seed, firstStream, shape).mul(priorStd());
    }

    /** The prior's log-density of each sample z [N, ...], in nats: shape [N]. */
    public Tensor priorLogDensity(Tensor z) {
        int n = z.shape(0);
        long dims = z.numel() / Math.max(1, n);
        double s2 = priorStd() * priorStd();
        Tensor sq = z.reshape(n, -1).square().sum(false, 1);
        return sq.mul(-0.5 / s2).add(-0.5 * dims * Math.log(2 * Math.PI * s2));
    }

    /**
     * The forward step that ends at t, from x(t - dt) to x(t) = x + f_i + G_i z (the "discretisation" of
     * score_sde's sde_lib; Song et al. 2021, Appendix E): the Euler-Maruyama step f_i = f(x, t) dt,
     * G_i = g(t) sqrt(dt) unless a subclass has an exact discrete chain (VP: DDPM, VE: SMLD).
     */
    public Discretisation discretise(Tensor x, double t, double dt) {
        return new Discretisation(drift(x, t).mul(dt), diffusion(t) * Math.sqrt(dt));
    }

    /** f_i (a tensor like x) and G_i (a scalar) of one discretised step. */
    public record Discretisation(Tensor driftIncrement, double noiseScale) { }

    /**
     * The reverse-time SDE dx = [f(x, t) - g(t)^2 score(x, t)] dt + g(t) dw-bar (Song et al. 2021, eq. 6), or with
     * probabilityFlow the ODE dx/dt = f(x, t) - g(t)^2 score(x, t) / 2 (their eq. 13), for a score given on this
     * SDE's own coordinates.
     */
    public ReverseSde reverse(ScoreField score, boolean probabilityFlow) {
        return new ReverseSde(this, score, probabilityFlow);
    }

    /** x -> grad_x log p_t(x) at time t, on the SDE's own coordinates. */
    @FunctionalInterface
    public interface ScoreField {
        Tensor score(Tensor x, double t);
    }

    @Override public String toString() { return describe(); }

    protected static void checkTime(double t, double endTime) {
        if (!(t >= 0 && t <= endTime)) throw new IllegalArgumentException("time " + t + " is outside [0, " + endTime + "]");
    }
}
