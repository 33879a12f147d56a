package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;

/**
 * The adaptive Dormand-Prince RK5(4) pair (Dormand &amp; Prince 1980, "A family of embedded Runge-Kutta formulae";
 * coefficients as in Hairer, Norsett &amp; Wanner, "Solving ODEs I", Table 5.2), first-same-as-last, with the
 * usual step control: accept when the RMS of err / (atol + rtol max(|x|, |x_new|)) is at most 1, and scale h by
 * 0.9 err^(-1/5) clamped to [0.2, 10].
 *
 * <p>The error norm is one number over the whole batch, read back to the host once per step: the only sampler that
 * synchronises per step, and whose step sizes (hence samples) depend on the batch.
 */
public final class DormandPrince {
    private DormandPrince() { }

    /** A guard against endless step-size collapse. */
    private static final int MAX_STEPS = 100_000;

    private static final double[] C = {0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1};
    private static final double[][] A = {
            {},
            {1.0 / 5},
            {3.0 / 40, 9.0 / 40},
            {44.0 / 45, -56.0 / 15, 32.0 / 9},
            {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
            {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
            {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}};
    /** Fifth-order weights (= the last row of A) minus the embedded fourth-order weights. */
    private static final double[] E = {35.0 / 384 - 5179.0 / 57600, 0, 500.0 / 1113 - 7571.0 / 16695, 125.0 / 192 - 393.0 / 640,
            -2187.0 / 6784 + 92097.0 / 339200, 11.0 / 84 - 187.0 / 2100, -1.0 / 40};

    /** The right-hand side dx/dt = f(x, t). */
    public interface Field { Tensor at(Tensor x, double t); }

    /** Outcome: the state at t1, and counts of accepted and rejected steps and of field evaluations. */
    public record Result(Tensor x, int accepted, int rejected, long evaluations) { }

    /** Integrates dx/dt = f(x, t) from t0 to t1 (either direction) to the given tolerances. */
    public static Result integrate(Field f, Tensor x0, double t0, double t1, double rtol, double atol) {
        if (!(rtol > 0) || !(atol > 0)) throw new IllegalArgumentException("rtol and atol must be > 0, got rtol=" + rtol + ", atol=" + atol);
        double direction = Math.signum(t1 - t0), span = Math.abs(t1 - t0);
        double h = direction * span * 0.01;
        Tensor x = x0;
        Tensor k1 = f.at(x, t0);
        long evals = 1;
        int accepted = 0, rejected = 0;
        double t = t0;
        while (direction * (t1 - t) > 1e-12 * span) {
            if (direction * (t + h - t1) > 0) h = t1 - t;
            if (Math.abs(h) < 1e-14 * span || accepted + rejected > MAX_STEPS) throw new IllegalStateException("RK45 gave up at t = "
                    + t + " after " + accepted + " accepted and " + rejected + " rejected steps (step size " + h
                    + "): the field may be stiff or not finite; loosen rtol=" + rtol + ", atol=" + atol);
            Tensor[] k = new Tensor[7];
            Tensor xNew, errTensor;
            double errNorm;
            try (Scope s = Scope.open()) {
                k[0] = k1;
                for (int stage = 1; stage < 7; stage++) {
                    k[stage] = f.at(combine(x, h, A[stage], k), t + C[stage] * h);
                    evals++;
                }
                xNew = combine(x, h, A[6], k);
                errTensor = combine(null, h, E, k);
                Tensor scale = x.abs().maximum(xNew.abs()).mul(rtol).add(atol);
                errNorm = Math.sqrt(errTensor.div(scale).square().mean().item());
                if (errNorm <= 1) {
                    s.keepAll(xNew, k[6]);
                }
            }
            if (errNorm <= 1) {
                if (x != x0) x.storage().close();
                if (k1 != k[6]) k1.storage().close();
                x = xNew;
                k1 = k[6];   // first same as last
                t += h;
                accepted++;
            } else {
                rejected++;
            }
            double factor = errNorm == 0 ? 10 : Math.min(10, Math.max(0.2, 0.9 * Math.pow(errNorm, -0.2)));
            h *= factor;
        }
        return new Result(x, accepted, rejected, evals);
    }

    /** base + h sum_j coef[j] k[j] (base may be null for 0). */
    private static Tensor combine(Tensor base, double h, double[] coef, Tensor[] k) {
        Tensor acc = base;
        for (int j = 0; j < coef.length; j++) {
            if (coef[j] == 0) continue;
            acc = acc == null ? k[j].mul(h * coef[j]) : Tensor.linearCombination(1, acc, h * coef[j], k[j], 0, null);
        }
        return acc;
    }
}
