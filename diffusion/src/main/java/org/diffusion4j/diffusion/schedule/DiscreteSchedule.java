package org.diffusion4j.diffusion.schedule;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

/**
 * The noise schedule of a discrete diffusion chain with T steps, held as float64 tables.
 *
 * <p>Index convention: array index {@code i = 0 .. T-1} is the paper's timestep {@code t = i + 1} of Ho et al.
 * (2020). So {@code beta(i)} is beta_{i+1}, {@code alphaBar(i)} = prod_{s <= i} (1 - beta(s)) is
 * alpha-bar_{i+1}, and x at index i is distributed as q(x_{i+1} | x_0) = N(sqrt(alphaBar) x_0, (1 - alphaBar) I)
 * (Ho et al. 2020, eq. 4).
 *
 * <p>The same chain seen in variance-exploding coordinates x / sqrt(alphaBar) has noise level
 * {@link #sigma(int)} = sqrt((1 - alphaBar) / alphaBar) (Karras et al. 2022, Table 1, "VP" column); samplers
 * and denoisers in this module speak that sigma.
 */
public final class DiscreteSchedule implements MarginalProcess {
    private final String name;
    private final double[] betas;
    private final double[] alphaBars;

    /** A schedule from its betas; each must lie in (0, 1], except that a last beta of exactly 1 is allowed. */
    public DiscreteSchedule(String name, double[] betas) {
        if (betas.length < 1) throw new IllegalArgumentException("a schedule needs at least one step, got 0 betas");
        for (int i = 0; i < betas.length; i++) {
            double b = betas[i];
            if (!(b > 0 && b <= 1)) throw new IllegalArgumentException("beta[" + i + "] = " + b
                    + " is outside (0, 1]");
        }
        this.name = name;
        this.betas = betas.clone();
        this.alphaBars = new double[betas.length];
        double prod = 1.0;
        for (int i = 0; i < betas.length; i++) {
            prod *= 1.0 - betas[i];
            alphaBars[i] = prod;
        }
    }

    // ----------------------------------------------------------------------------- factories

    /** Betas spaced linearly from beta1 to betaT (Ho et al. 2020, Sec. 4: 1e-4 to 0.02, T = 1000). */
    public static DiscreteSchedule linear(int steps, double beta1, double betaT) {
        checkSteps(steps);
        checkBetaRange(beta1, betaT);
        double[] b = new double[steps];
        for (int i = 0; i < steps; i++) b[i] = steps == 1 ? beta1 : beta1 + (betaT - beta1) * i / (steps - 1);
        return new DiscreteSchedule("linear(" + beta1 + ", " + betaT + ")", b);
    }

    /** The DDPM default: linear 1e-4 .. 0.02 over 1000 steps. */
    public static DiscreteSchedule ddpmLinear() { return linear(1000, 1e-4, 0.02); }

    /**
     * "Scaled linear" (Stable Diffusion, Rombach et al. 2022): sqrt(beta) is linear from sqrt(beta1) to
     * sqrt(betaT), i.e. beta_i = (sqrt(beta1) + (sqrt(betaT) - sqrt(beta1)) i / (T - 1))^2. Typical: 0.00085 .. 0.012.
     */
    public static DiscreteSchedule scaledLinear(int steps, double beta1, double betaT) {
        checkSteps(steps);
        checkBetaRange(beta1, betaT);
        double r1 = Math.sqrt(beta1), rT = Math.sqrt(betaT);
        double[] b = new double[steps];
        for (int i = 0; i < steps; i++) {
            double r = steps == 1 ? r1 : r1 + (rT - r1) * i / (steps - 1);
            b[i] = r * r;
        }
        return new DiscreteSchedule("scaled-linear(" + beta1 + ", " + betaT + ")", b);
    }

    /**
     * Cosine schedule (Nichol &amp; Dhariwal 2021, eq. 17): alpha-bar(t) = f(t) / f(0) with
     * f(t) = cos^2(((t/T + s) / (1 + s)) pi/2), and beta_t = min(1 - alpha-bar(t) / alpha-bar(t-1), maxBeta)
     * (they use s = 0.008, maxBeta = 0.999).
     */
    public static DiscreteSchedule cosine(int steps, double s, double maxBeta) {
        checkSteps(steps);
        if (!(s >= 0)) throw new IllegalArgumentException("cosine offset s must be >= 0, got " + s);
        checkMaxBeta(maxBeta);
        return fromAlphaBarFunction("cosine(s=" + s + ")", steps, maxBeta, u -> {
            double c = Math.cos((u + s) / (1 + s) * Math.PI / 2);
            return c * c;
        });
    }

    public static DiscreteSchedule cosine(int steps) { return cosine(steps, 0.008, 0.999); }

    /**
     * Sigmoid schedule (Chen 2023, "On the importance of noise scheduling for diffusion models", Algorithm 1,
     * sigmoid_schedule): gamma(u) = (v(end) - sigmoid((u (end - start) + start) / tau)) / (v(end) - v(start)),
     * v(x) = sigmoid(x / tau), used as alpha-bar(u) on u = t / T; betas from its ratios, clipped to maxBeta.
     * Chen's defaults: start = -3, end = 3, tau = 1.
     */
    public static DiscreteSchedule sigmoid(int steps, double start, double end, double tau, double maxBeta) {
        checkSteps(steps);
        if (!(end > start)) throw new IllegalArgumentException("sigmoid schedule needs end > start, got start=" + start + ", end=" + end);
        if (!(tau > 0)) throw new IllegalArgumentException("sigmoid schedule needs tau > 0, got " + tau);
        checkMaxBeta(maxBeta);
        double vStart = logistic(start / tau), vEnd = logistic(end / tau);
        return fromAlphaBarFunction("sigmoid(" + start + ", " + end + ", tau=" + tau + ")", steps, maxBeta,
                u -> (vEnd - logistic((u * (end - start) + start) / tau)) / (vEnd - vStart));
    }

    public static DiscreteSchedule sigmoid(int steps) { return sigmoid(steps, -3, 3, 1, 0.999); }

    private static double logistic(double x) { return 1.0 / (1.0 + Math.exp(-x)); }

    /** beta_t = min(1 - g(t/T) / g((t-1)/T), maxBeta) for t = 1..T, as Nichol &amp; Dhariwal's betas_for_alpha_bar. */
    private static DiscreteSchedule fromAlphaBarFunction(String name, int steps, double maxBeta,
                                                         java.util.function.DoubleUnaryOperator g) {
        double[] b = new double[steps];
        for (int i = 0; i < steps; i++) {
            double prev = g.applyAsDouble((double) i / steps), next = g.applyAsDouble((double) (i + 1) / steps);
            b[i] = Math.min(1.0 - next / prev, maxBeta);
        }
        return new DiscreteSchedule(name, b);
    }

    /**
     * Rescales this schedule to zero terminal SNR (Lin et al. 2023, Algorithm 1): sqrt(alpha-bar) is shifted so
     * that its last value is 0 and scaled so that its first value is kept; betas are recomputed from the new
     * alpha-bar ratios (so the last beta is exactly 1). With it, sigma at the last step is infinite: train with
     * v- or x0-prediction, since epsilon-prediction is ill-posed there.
     */
    public DiscreteSchedule rescaledToZeroTerminalSnr() {
        int n = betas.length;
        if (n < 2) throw new IllegalStateException("zero-terminal-SNR rescaling needs at least 2 steps, schedule has " + n);
        double[] root = new double[n];
        for (int i = 0; i < n; i++) root[i] = Math.sqrt(alphaBars[i]);
        double first = root[0], last = root[n - 1];
        double[] b = new double[n];
        double prevBar = 1.0;
        for (int i = 0; i < n; i++) {
            double r = (root[i] - last) * first / (first - last);
            double bar = r * r;
            b[i] = 1.0 - bar / prevBar;
            prevBar = bar;
        }
        b[n - 1] = 1.0;   // exact: alpha-bar_T = 0
        return new DiscreteSchedule(name + " rescaled to zero terminal SNR", b);
    }

    // ----------------------------------------------------------------------------- tables

    public String name() { return name; }

    /** T, the number of steps of the chain. */
    public int steps() { return betas.length; }

    public double beta(int i) { return betas[check(i)]; }

    public double alpha(int i) { return 1.0 - betas[check(i)]; }

    public double alphaBar(int i) { return alphaBars[check(i)]; }

    /** alpha-bar at index i - 1, with alpha-bar_0 = 1 before the first step. */
    public double alphaBarPrev(int i) { return check(i) == 0 ? 1.0 : alphaBars[i - 1]; }

    /** Signal-to-noise ratio alpha-bar / (1 - alpha-bar) (Kingma et al. 2021, eq. 2 with their SNR(t)). */
    public double snr(int i) { return alphaBars[check(i)] / (1.0 - alphaBars[i]); }

    /** The equivalent variance-exploding noise level sqrt((1 - alpha-bar) / alpha-bar) (Karras et al. 2022, Table 1). */
    public double sigma(int i) { return Math.sqrt((1.0 - alphaBars[check(i)]) / alphaBars[i]); }

    public double[] betas() { return betas.clone(); }

    public double[] alphaBars() { return alphaBars.clone(); }

    /** The alpha-bar table as an F64 tensor of shape [T] on the given backend. */
    public Tensor alphaBarTensor(Backend backend) { return Tensor.of(backend, alphaBars.clone(), alphaBars.length); }

    public Tensor betaTensor(Backend backend) { return Tensor.of(backend, DType.F64, betas.clone(), betas.length); }

    /**
     * The (fractional) index whose sigma equals the given one, by linear interpolation of log sigma between
     * neighbouring indices (as k-diffusion's sigma_to_t); clamped to [0, T-1]. Used to feed a network trained on
     * integer timesteps at an arbitrary noise level.
     */
    public double indexOfSigma(double sigma) {
        if (!(sigma > 0)) throw new IllegalArgumentException("sigma must be > 0, got " + sigma);
        int n = betas.length;
        double ls = Math.log(sigma);
        if (ls <= Math.log(sigma(0))) return 0;
        int lastFinite = alphaBars[n - 1] > 0 ? n - 1 : n - 2;
        if (ls >= Math.log(sigma(lastFinite))) return lastFinite;
        int lo = 0, hi = lastFinite;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (Math.log(sigma(mid)) <= ls) lo = mid; else hi = mid;
        }
        double a = Math.log(sigma(lo)), b = Math.log(sigma(hi));
        return lo + (ls - a) / (b - a);
    }

    // ----------------------------------------------------------------------------- as a MarginalProcess

    /**
     * alpha at a fractional timestep index t in [0, T-1]: between integer indices log sigma is interpolated linearly
     * (the inverse of {@link #indexOfSigma}), and alpha = 1 / sqrt(1 + sigma^2).
     */
    @Override public double meanScale(double t) {
        double s = noiseLevel(t);
        return 1.0 / Math.sqrt(1.0 + s * s);
    }

    @Override public double std(double t) {
        double s = noiseLevel(t);
        return s / Math.sqrt(1.0 + s * s);
    }

    @Override public double noiseLevel(double t) {
        if (!(t >= 0 && t <= betas.length - 1)) throw new IllegalArgumentException("timestep " + t + " is outside [0, "
                + (betas.length - 1) + "]");
        int lo = (int) Math.floor(t);
        if (lo == t) return sigma(lo);
        double a = Math.log(sigma(lo)), b = Math.log(sigma(lo + 1));
        return Math.exp(a + (t - lo) * (b - a));
    }

    @Override public double timeOfNoiseLevel(double sigma) { return indexOfSigma(sigma); }

    private int check(int i) {
        if (i < 0 || i >= betas.length) throw new IndexOutOfBoundsException("timestep index " + i + " is outside [0, "
                + (betas.length - 1) + "]");
        return i;
    }

    private static void checkSteps(int steps) {
        if (steps < 1) throw new IllegalArgumentException("number of steps must be >= 1, got " + steps);
    }

    private static void checkBetaRange(double beta1, double betaT) {
        if (!(beta1 > 0 && beta1 < 1)) throw new IllegalArgumentException("beta1 must be in (0, 1), got " + beta1);
        if (!(betaT > 0 && betaT < 1)) throw new IllegalArgumentException("betaT must be in (0, 1), got " + betaT);
    }

    private static void checkMaxBeta(double maxBeta) {
        if (!(maxBeta > 0 && maxBeta <= 1)) throw new IllegalArgumentException("maxBeta must be in (0, 1], got " + maxBeta);
    }

    @Override public String toString() { return "DiscreteSchedule[" + name + ", T=" + steps() + "]"; }
}
