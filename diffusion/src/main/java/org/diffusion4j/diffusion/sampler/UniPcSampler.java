package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.tensor.Tensor;

/**
 * UniPC (Zhao et al. 2023, "UniPC: a unified predictor-corrector framework for fast sampling of diffusion models",
 * Algorithms 2-3 with B(h) = e^{h} - 1, the "bh2" variant, data prediction), as diffusers' UniPCMultistepScheduler
 * runs it, on variance-exploding coordinates over sigma_0 &gt; ... &gt; sigma_N = 0 with lambda = -log sigma.
 *
 * <p>With hh = -h, h = lambda_t - lambda_s0, phi-sequence g_1 = (e^{hh} - 1) / hh - 1,
 * g_{k+1} = g_k / hh - 1 / (k+1)!, right-hand side b_k = g_k k! / B(h) with B(h) = e^{hh} - 1, and
 * r_k = (lambda_{s_k} - lambda_s0) / h for earlier points s_k, D_k = (m_{s_k} - m_0) / r_k:
 * <ul>
 *   <li>UniP (predictor, order p): y_t = (sigma_t / sigma_s0) y - (e^{hh} - 1) m_0 - B(h) sum_k rho_k D_k with
 *       rho = 1/2 for p = 2, else the solution of sum_k r_k^{j-1} rho_k = b_j, j = 1..p-1 (eq. 9);</li>
 *   <li>UniC (corrector, order q, run on arrival at each new point with the model output m_t there, which the next
 *       predictor reuses, so it costs no evaluation): the same with the extra point r = 1, D = m_t - m_0, and rho from
 *       the full q x q system (rho = 1/2 for q = 1) (eq. 11).</li>
 * </ul>
 * Orders as diffusers uses them: step i predicts with min(order, i + 1, N - i) (N - i only with lowerOrderFinal),
 * and the corrector at step i + 1 has the predictor's order of step i. The last step (to sigma = 0) returns m.
 * NFE = N.
 */
public final class UniPcSampler implements Sampler {
    private final SigmaPath path;
    private final int order;
    private final boolean lowerOrderFinal;

    public UniPcSampler(SigmaPath path, int order, boolean lowerOrderFinal) {
        if (path == null) throw new IllegalArgumentException("sigma path must not be null");
        if (order < 1 || order > 3) throw new IllegalArgumentException("UniPC order must be 1, 2 or 3, got " + order);
        this.path = path;
        this.order = order;
        this.lowerOrderFinal = lowerOrderFinal;
    }

    @Override public String name() { return "unipc"; }

    int predictorOrder(int i, int n) {
        int p = lowerOrderFinal ? Math.min(order, n - i) : order;
        return Math.min(p, Math.min(i, order) + 1);
    }

    private double lambda(int i) { return -Math.log(path.sigma(i)); }

    @Override public SampleResult sample(Denoiser model, SampleRequest request) {
        SamplingContext ctx = new SamplingContext(model, request);
        int n = path.steps();
        // state: y_i, then the model outputs m_{i-1}, m_{i-2}, m_{i-3} (newest first), then the last corrected y_{i-1}
        ctx.start(ctx.initialNoise().mul(path.startScale()), null, null, null, null);
        for (int i = 0; i < n; i++) {
            int step = i;
            int p = predictorOrder(i, n), q = i > 0 ? predictorOrder(i - 1, n) : 0;
            ctx.step(st -> {
                Tensor y = st[0], last = st[4];
                Tensor[] past = {st[1], st[2], st[3]};
                Tensor mt = ctx.model().denoise(y, path.sigma(step));
                if (step > 0) y = corrector(y, last, mt, past, step, q);
                if (path.sigma(step + 1) == 0) return new Tensor[]{mt, null, null, null, null};
                Tensor[] history = {mt, past[0], past[1]};
                Tensor next = predictor(y, history, step, p);
                return new Tensor[]{next, mt, past[0], past[1], y};
            });
        }
        return ctx.finish();
    }

    /** UniP from point i to i + 1; history[k] = m_{i-k}. */
    private Tensor predictor(Tensor y, Tensor[] history, int i, int p) {
        double h = lambda(i + 1) - lambda(i);
        double[] rks = new double[p];
        for (int k = 1; k < p; k++) rks[k - 1] = (lambda(i - k) - lambda(i)) / h;
        rks[p - 1] = 1;
        double[] b = rhs(h, p);
        double hh = -h, phi1 = Math.expm1(hh), bh = Math.expm1(hh);
        double[] rho = p == 1 ? new double[0] : p == 2 ? new double[]{0.5} : solve(vandermonde(rks, p - 1), java.util.Arrays.copyOf(b, p - 1));
        Tensor m0 = history[0];
        double s = path.sigma(i + 1) / path.sigma(i);
        Tensor out = Tensor.linearCombination(s, y, -phi1, m0, 0, null);
        for (int k = 1; k < p; k++) {
            // - B(h) rho_k (m_{i-k} - m0) / r_k
            double c = -bh * rho[k - 1] / rks[k - 1];
            out = Tensor.linearCombination(1, out, c, history[k], -c, m0);
        }
        return out;
    }

    /** UniC on arrival at point i from i - 1: last = corrected y_{i-1}, past[k] = m_{i-1-k}, mt = m at the predicted y_i. */
    private Tensor corrector(Tensor predicted, Tensor last, Tensor mt, Tensor[] past, int i, int q) {
        double h = lambda(i) - lambda(i - 1);
        double[] rks = new double[q];
        for (int k = 1; k < q; k++) rks[k - 1] = (lambda(i - 1 - k) - lambda(i - 1)) / h;
        rks[q - 1] = 1;
        double[] b = rhs(h, q);
        double hh = -h, phi1 = Math.expm1(hh), bh = Math.expm1(hh);
        double[] rho = q == 1 ? new double[]{0.5} : solve(vandermonde(rks, q), b);
        Tensor m0 = past[0];
        double s = path.sigma(i) / path.sigma(i - 1);
        Tensor out = Tensor.linearCombination(s, last, -phi1, m0, 0, null);
        for (int k = 1; k < q; k++) {
            double c = -bh * rho[k - 1] / rks[k - 1];
            out = Tensor.linearCombination(1, out, c, past[k], -c, m0);
        }
        double c = -bh * rho[q - 1];
        return Tensor.linearCombination(1, out, c, mt, -c, m0);
    }

    /** b_j = g_j j! / B(h), j = 1..p (the right-hand side of Zhao et al. 2023, eq. 9 and 11, bh2). */
    private static double[] rhs(double h, int p) {
        double hh = -h, bh = Math.expm1(hh);
        double g = Math.expm1(hh) / hh - 1, factorial = 1;
        double[] b = new double[p];
        for (int j = 1; j <= p; j++) {
            b[j - 1] = g * factorial / bh;
            factorial *= j + 1;
            g = g / hh - 1 / factorial;
        }
        return b;
    }

    /** R[j][k] = rks[k]^j for j, k &lt; size. */
    private static double[][] vandermonde(double[] rks, int size) {
        double[][] r = new double[size][size];
        for (int j = 0; j < size; j++) for (int k = 0; k < size; k++) r[j][k] = Math.pow(rks[k], j);
        return r;
    }

    /** Gaussian elimination with partial pivoting (at most 3 x 3 here). */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) m[i] = java.util.Arrays.copyOf(a[i], n);
        double[] x = b.clone();
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
            double[] t = m[c]; m[c] = m[piv]; m[piv] = t;
            double tb = x[c]; x[c] = x[piv]; x[piv] = tb;
            if (m[c][c] == 0) throw new IllegalStateException("UniPC: singular system (repeated noise levels?)");
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int k = c; k < n; k++) m[r][k] -= f * m[c][k];
                x[r] -= f * x[c];
            }
        }
        for (int c = n - 1; c >= 0; c--) {
            double s = x[c];
            for (int k = c + 1; k < n; k++) s -= m[c][k] * x[k];
            x[c] = s / m[c][c];
        }
        return x;
    }
}
