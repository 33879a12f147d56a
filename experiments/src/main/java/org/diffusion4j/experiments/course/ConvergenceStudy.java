package org.diffusion4j.experiments.course;

import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.sampler.SampleRequest;
import org.diffusion4j.diffusion.sampler.SampleResult;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Measures a sampler's convergence order with the exact score of an analytic model (docs/course/07-samplers.md).
 * <ul>
 *   <li>Deterministic samplers, strong error: the RMS over samples of |x_N - x_exact| between the sampler's output
 *       from start z and the exact endpoint of the same path ({@link SamplerPath#exactEndpoint}).</li>
 *   <li>Stochastic samplers, weak error: |mean - mean*| + ||cov - cov*||_F between the moments of many samples and
 *       those of the exact distribution at the sampler's last noise level (after its final denoising step).</li>
 * </ul>
 * The order p is minus the least-squares slope of log(error) against log(NFE): error ~ C NFE^(-p).
 */
public final class ConvergenceStudy {
    private final GaussianMixture model;
    private final ExactFlow flow;
    private final long seed;
    /** Exact endpoints by path (samples, start, end): paths that share them share the costly RK45 reference. */
    private final java.util.Map<String, Tensor> references = new java.util.HashMap<>();

    /** One measurement: steps, network evaluations and error. */
    public record Point(int steps, long nfe, double error) { }

    /** A sampler's measurements and its order fitted over the last {@link #FIT_POINTS} points (the asymptotic tail). */
    public record Curve(String label, List<Point> points, double order, double nominalOrder) { }

    /** How many of the largest-NFE points the order is fitted over. */
    public static final int FIT_POINTS = 3;

    public ConvergenceStudy(GaussianMixture model, ExactFlow flow, long seed) {
        this.model = model;
        this.flow = flow;
        this.seed = seed;
    }

    /** The reference flow for a model: closed form for one Gaussian, RK45 at tolerance 1e-11 otherwise. */
    public static ExactFlow referenceFlow(GaussianMixture model) {
        return model.components() == 1 ? ExactFlow.gaussian(model) : ExactFlow.rk45(model, 1e-11);
    }

    public Curve deterministic(ConvergenceCases.Case c, int samples) {
        int d = model.dimension();
        Tensor z = Tensor.randn(Backends.cpu(), DType.F64, seed, 0, samples, d);
        List<Point> points = new ArrayList<>();
        for (int steps : c.steps()) {
            SamplerPath path = c.path().apply(steps);
            SampleResult r = path.sampler().sample(model, SampleRequest.of(seed, samples, d).withInitialNoise(z));
            String key = samples + "/" + path.sigmaStart() + "/" + path.priorScale() / path.startAlpha() + "/" + path.sigmaEnd() + "/"
                    + path.endAlpha() + "/" + path.endsWithDenoiser();
            Tensor exact = references.computeIfAbsent(key, k -> path.exactEndpoint(flow, model, z));
            double[] a = r.samples().toDoubleArray(), b = exact.toDoubleArray();
            double sq = 0;
            for (int i = 0; i < a.length; i++) sq += (a[i] - b[i]) * (a[i] - b[i]);
            points.add(new Point(steps, r.nfe(), Math.sqrt(sq / samples)));
        }
        return new Curve(c.label(), points, fitOrder(tail(points)), c.nominalOrder());
    }

    public Curve stochastic(ConvergenceCases.StochasticCase c, int samples) {
        int d = model.dimension();
        List<Point> points = new ArrayList<>();
        for (int steps : c.steps()) {
            SamplerPath path = c.path().apply(steps);
            SampleResult r = path.sampler().sample(model, SampleRequest.of(seed, samples, d));
            Moments got = Moments.of(r.samples().toDoubleArray(), d);
            Moments want = targetMoments(path);
            points.add(new Point(steps, r.nfe(), got.distance(want)));
        }
        return new Curve(c.label(), points, fitOrder(tail(points)), c.nominalOrder());
    }

    /**
     * The moments the sampler converges to: those of D(y; sigma) with y from the exact marginal at the path's last level
     * (or of endAlpha y without the denoiser). For one Gaussian N(mu, S) in closed form: D(y) = mu + M (y - mu),
     * M = S (S + sigma^2 I)^{-1}, so the mean is mu and the covariance M (S + sigma^2 I) M^T = S (S + sigma^2 I)^{-1} S.
     * For a mixture, by 400 000 exact draws (the Monte Carlo error, about 1e-3, is stated in the table's caption).
     */
    Moments targetMoments(SamplerPath path) {
        double s = path.sigmaEnd();
        int d = model.dimension();
        if (model.components() == 1) {
            double[][] cov = model.covariance(0);
            double[][] a = new double[d][d];
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) a[i][j] = cov[i][j] + (i == j ? s * s : 0);
            double[][] m = Moments.multiply(cov, Moments.inverse(a));
            double[][] target = path.endsWithDenoiser() ? Moments.multiply(m, cov) : scaled(a, path.endAlpha() * path.endAlpha());
            double[] mu = model.mean(0);
            if (!path.endsWithDenoiser()) for (int i = 0; i < d; i++) mu[i] *= path.endAlpha();
            return new Moments(mu, target);
        }
        int n = 400_000;
        Tensor x0 = model.sample(Backends.cpu(), DType.F64, n, seed ^ 0x5DEECE66DL, 0);
        Tensor eps = Tensor.randn(Backends.cpu(), DType.F64, seed ^ 0xB5AD4ECEDA1CE2A9L, 0, n, d);
        Tensor y = Tensor.linearCombination(1, x0, s, eps, 0, null);
        Tensor out = path.endsWithDenoiser() ? model.denoise(y, s) : y.mul(path.endAlpha());
        return Moments.of(out.toDoubleArray(), d);
    }

    private static double[][] scaled(double[][] a, double c) {
        double[][] r = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i].clone();
            for (int j = 0; j < r[i].length; j++) r[i][j] *= c;
        }
        return r;
    }

    static List<Point> tail(List<Point> points) {
        return points.subList(Math.max(0, points.size() - FIT_POINTS), points.size());
    }

    /** p = -slope of the least-squares line through (log NFE, log error). */
    public static double fitOrder(List<Point> points) {
        if (points.size() < 2) throw new IllegalArgumentException("a slope needs at least 2 points, got " + points.size());
        int n = points.size();
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (Point p : points) {
            if (!(p.error() > 0)) throw new IllegalArgumentException("error must be > 0 for a log-log fit, got " + p.error()
                    + " at " + p.steps() + " steps");
            double x = Math.log(p.nfe()), y = Math.log(p.error());
            sx += x; sy += y; sxx += x * x; sxy += x * y;
        }
        return -(n * sxy - sx * sy) / (n * sxx - sx * sx);
    }
}
