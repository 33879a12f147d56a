package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

/**
 * A plain float64 transcription of diffusers' schedulers (huggingface/diffusers, src/diffusers/schedulers, read at
 * commit 58eb52c0 of 2026-08-23): set_timesteps and step of EulerDiscrete, EulerAncestralDiscrete, HeunDiscrete,
 * DPMSolverMultistep (dpmsolver++ / sde-dpmsolver++, midpoint) and UniPCMultistep (bh2, predict_x0), each in its own
 * coordinates (Euler family: sample scaled by sqrt(sigma^2 + 1) into the network; multistep family: variance-preserving
 * x_t), with diffusers' float32 casts left out. The "network" is the exact epsilon-predictor of an analytic mixture at the
 * scheduler's own sigma: eps(x_in; sigma) = (y - D(y; sigma)) / sigma with y the variance-exploding point. Written from
 * the algorithms, independent of the samplers it checks: it shares only the denoiser and the per-step Philox noise.
 */
final class DiffusersTranscription {
    private final GaussianMixture model;
    private final int n, dim;
    private final long seed;

    DiffusersTranscription(GaussianMixture model, int n, long seed) {
        this.model = model;
        this.n = n;
        this.dim = model.dimension();
        this.seed = seed;
    }

    double[] z() { return Tensor.randn(Backends.cpu(), DType.F64, seed, 0, n, dim).toDoubleArray(); }

    double[] noise(int step) {
        return Tensor.randn(Backends.cpu(), DType.F64, SamplingContext.stepSeed(seed, step), 0, n, dim).toDoubleArray();
    }

    double[] denoise(double[] y, double sigma) {
        return model.denoise(Tensor.of(Backends.cpu(), y.clone(), n, dim), sigma).toDoubleArray();
    }

    // ------------------------------------------------------------------ set_timesteps

    enum Spacing { LINSPACE, LEADING, TRAILING }

    /** Euler-family timesteps: linspace unrounded; leading k (T // S); trailing round(arange(T, 0, -T/S)) - 1. */
    static double[] eulerTimesteps(int t, int s, Spacing spacing) {
        double[] ts = new double[s];
        for (int k = 0; k < s; k++) {
            ts[k] = switch (spacing) {
                case LINSPACE -> s == 1 ? 0 : (k == 0 ? t - 1 : (double) (t - 1) / (s - 1) * (s - 1 - k));
                case LEADING -> (double) (s - 1 - k) * (t / s);
                case TRAILING -> Math.rint(t - k * ((double) t / s)) - 1;
            };
        }
        return ts;
    }

    /** Multistep-family timesteps: round(linspace(0, T-1, S+1))[::-1][:-1]; leading k (T // (S+1)); trailing as Euler's. */
    static double[] multistepTimesteps(int t, int s, Spacing spacing) {
        double[] ts = new double[s];
        for (int k = 0; k < s; k++) {
            ts[k] = switch (spacing) {
                case LINSPACE -> Math.rint(k == 0 ? t - 1 : (double) (t - 1) / s * (s - k));
                case LEADING -> (double) (s - k) * (t / (s + 1));
                case TRAILING -> Math.rint(t - k * ((double) t / s)) - 1;
            };
        }
        return ts;
    }

    /** np.interp(timesteps, arange(T), sigmas) followed by 0. */
    static double[] interpSigmas(DiscreteSchedule schedule, double[] timesteps) {
        double[] out = new double[timesteps.length + 1];
        for (int k = 0; k < timesteps.length; k++) {
            int lo = (int) Math.floor(timesteps[k]);
            double a = schedule.sigma(lo), b = lo + 1 < schedule.steps() ? schedule.sigma(lo + 1) : a;
            out[k] = (b - a) / 1.0 * (timesteps[k] - lo) + a;
        }
        return out;
    }

    /** _convert_to_karras over [sigmaMin, sigmaMax] with rho = 7, followed by 0. */
    static double[] karras(double sigmaMin, double sigmaMax, int s) {
        double[] out = new double[s + 1];
        double lo = Math.pow(sigmaMin, 1 / 7.0), hi = Math.pow(sigmaMax, 1 / 7.0);
        for (int k = 0; k < s; k++) {
            double ramp = s == 1 ? 0 : (double) k / (s - 1);
            out[k] = Math.pow(hi + ramp * (lo - hi), 7);
        }
        return out;
    }

    // ------------------------------------------------------------------ Euler family (VE sample, scaled model input)

    private double[] eps(double[] modelInput, double sigma) {
        double c = Math.sqrt(sigma * sigma + 1);
        double[] y = new double[modelInput.length];
        for (int i = 0; i < y.length; i++) y[i] = modelInput[i] * c;
        double[] d = denoise(y, sigma);
        double[] e = new double[y.length];
        for (int i = 0; i < y.length; i++) e[i] = (y[i] - d[i]) / sigma;
        return e;
    }

    private static double[] scaled(double[] sample, double sigma) {
        double[] out = new double[sample.length];
        for (int i = 0; i < out.length; i++) out[i] = sample[i] / Math.sqrt(sigma * sigma + 1);
        return out;
    }

    /** init_noise_sigma of the Euler family: max sigma for linspace and trailing, sqrt(max^2 + 1) for leading. */
    static double initNoiseSigma(double[] sigmas, Spacing spacing) {
        return spacing == Spacing.LEADING ? Math.sqrt(sigmas[0] * sigmas[0] + 1) : sigmas[0];
    }

    double[] euler(double[] sigmas, double init) {
        double[] sample = times(z(), init);
        for (int i = 0; i + 1 < sigmas.length; i++) {
            double sigma = sigmas[i];
            double[] out = eps(scaled(sample, sigma), sigma);
            for (int j = 0; j < sample.length; j++) {
                double pred = sample[j] - sigma * out[j];
                double derivative = (sample[j] - pred) / sigma;
                sample[j] = sample[j] + derivative * (sigmas[i + 1] - sigma);
            }
        }
        return sample;
    }

    double[] eulerAncestral(double[] sigmas, double init) {
        double[] sample = times(z(), init);
        for (int i = 0; i + 1 < sigmas.length; i++) {
            double sigma = sigmas[i], from = sigmas[i], to = sigmas[i + 1];
            double[] out = eps(scaled(sample, sigma), sigma);
            double up = Math.sqrt(to * to * (from * from - to * to) / (from * from));
            double down = Math.sqrt(to * to - up * up);
            double[] noise = up > 0 ? noise(i) : new double[sample.length];
            for (int j = 0; j < sample.length; j++) {
                double pred = sample[j] - sigma * out[j];
                double derivative = (sample[j] - pred) / sigma;
                sample[j] = sample[j] + derivative * (down - sigma) + noise[j] * up;
            }
        }
        return sample;
    }

    /** HeunDiscreteScheduler: sigmas [s0, s1, s1, s2, s2, ..., 0], alternating first- and second-order states. */
    double[] heun(double[] base, double init) {
        int m = base.length - 1;
        double[] sigmas = new double[2 * m];
        sigmas[0] = base[0];
        for (int k = 1; k < m; k++) { sigmas[2 * k - 1] = base[k]; sigmas[2 * k] = base[k]; }
        sigmas[2 * m - 1] = 0;
        int steps = 2 * m - 1;
        double[] sample = times(z(), init);
        double[] prevDerivative = null, savedSample = null;
        double dt = 0;
        boolean first = true;
        for (int idx = 0; idx < steps; idx++) {
            double sigma, sigmaNext;
            if (first) { sigma = sigmas[idx]; sigmaNext = sigmas[idx + 1]; } else { sigma = sigmas[idx - 1]; sigmaNext = sigmas[idx]; }
            double inputSigma = first ? sigma : sigmaNext;
            double[] out = eps(scaled(sample, sigmas[idx]), sigmas[idx]);
            double[] next = new double[sample.length];
            if (first) {
                prevDerivative = new double[sample.length];
                dt = sigmaNext - sigma;
                savedSample = sample.clone();
                for (int j = 0; j < sample.length; j++) {
                    double pred = sample[j] - inputSigma * out[j];
                    prevDerivative[j] = (sample[j] - pred) / sigma;
                    next[j] = sample[j] + prevDerivative[j] * dt;
                }
            } else {
                for (int j = 0; j < sample.length; j++) {
                    double pred = sample[j] - inputSigma * out[j];
                    double derivative = ((sample[j] - pred) / sigmaNext + prevDerivative[j]) / 2;
                    next[j] = savedSample[j] + derivative * dt;
                }
            }
            sample = next;
            // diffusers: the state flips after every step except a first-order step into sigma 0
            if (!(first && sigmaNext == 0)) first = !first;
        }
        return sample;
    }

    /**
     * LMSDiscreteScheduler.step with order 4: derivative d = (sample - pred) / sigma, coefficients from
     * get_lms_coefficient (scipy's quad of the Lagrange product; here composite Simpson, exact for these cubics).
     */
    double[] lms(double[] sigmas, double init, int order) {
        double[] sample = times(z(), init);
        java.util.ArrayList<double[]> derivatives = new java.util.ArrayList<>();
        for (int t = 0; t + 1 < sigmas.length; t++) {
            double sigma = sigmas[t];
            double[] out = eps(scaled(sample, sigma), sigma);
            double[] derivative = new double[sample.length];
            for (int j = 0; j < sample.length; j++) derivative[j] = (sample[j] - (sample[j] - sigma * out[j])) / sigma;
            derivatives.add(derivative);
            if (derivatives.size() > order) derivatives.remove(0);
            int o = Math.min(t + 1, order);
            double[] next = sample.clone();
            for (int cur = 0; cur < o; cur++) {
                double coeff = simpson(sigmas, o, t, cur);
                double[] d = derivatives.get(derivatives.size() - 1 - cur);
                for (int j = 0; j < next.length; j++) next[j] += coeff * d[j];
            }
            sample = next;
        }
        return sample;
    }

    private static double simpson(double[] sigmas, int order, int t, int current) {
        int m = 64;
        double a = sigmas[t], b = sigmas[t + 1], h = (b - a) / m, sum = 0;
        for (int q = 0; q <= m; q++) {
            double tau = a + q * h, prod = 1.0;
            for (int k = 0; k < order; k++) {
                if (current == k) continue;
                prod *= (tau - sigmas[t - k]) / (sigmas[t - current] - sigmas[t - k]);
            }
            sum += (q == 0 || q == m ? 1 : q % 2 == 1 ? 4 : 2) * prod;
        }
        return sum * h / 3;
    }

    // ------------------------------------------------------------------ multistep family (variance-preserving x_t)

    private static double alpha(double sigma) { return 1 / Math.sqrt(sigma * sigma + 1); }

    private static double lambda(double sigma) { return Math.log(alpha(sigma)) - Math.log(sigma * alpha(sigma)); }

    /** convert_model_output for epsilon prediction with data prediction: x0 = (x - sigma_t eps) / alpha_t. */
    private double[] x0(double[] x, double sigma) {
        double a = alpha(sigma), st = sigma * a;
        double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++) y[i] = x[i] / a;
        double[] d = denoise(y, sigma);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double eps = (y[i] - d[i]) / sigma;
            out[i] = (x[i] - st * eps) / a;
        }
        return out;
    }

    /** @param start x_T = start z on variance-preserving coordinates (1: diffusers' init_noise_sigma) */
    double[] dpmSolver(double[] sigmas, int order, boolean sde, boolean lowerOrderFinal, double start) {
        double[] x = times(z(), start);
        int steps = sigmas.length - 1;
        double[][] outputs = new double[order][];
        int lowerOrderNums = 0;
        for (int i = 0; i < steps; i++) {
            boolean finalLower = i == steps - 1;   // final_sigmas_type "zero"
            boolean secondLower = i == steps - 2 && lowerOrderFinal && steps < 15;
            double[] m = x0(x, sigmas[i]);
            for (int k = 0; k < order - 1; k++) outputs[k] = outputs[k + 1];
            outputs[order - 1] = m;
            double[] noise = sde ? noise(i) : null;
            double sT = sigmas[i + 1];
            double alphaT = sT == 0 ? 1 : alpha(sT), sigmaT = sT == 0 ? 0 : sT * alpha(sT);
            double lambdaT = sT == 0 ? Double.POSITIVE_INFINITY : lambda(sT);
            double s0 = sigmas[i], sigmaS0 = s0 * alpha(s0);
            double h = lambdaT - lambda(s0);
            double[] next = new double[x.length];
            int use = (order == 1 || lowerOrderNums < 1 || finalLower) ? 1 : (order == 2 || lowerOrderNums < 2 || secondLower) ? 2 : 3;
            for (int j = 0; j < x.length; j++) {
                double m0 = outputs[order - 1][j];
                if (use == 1) {
                    next[j] = !sde ? (sigmaT / sigmaS0) * x[j] - alphaT * (Math.exp(-h) - 1.0) * m0
                            : (sigmaT / sigmaS0 * Math.exp(-h)) * x[j] + alphaT * (1 - Math.exp(-2.0 * h)) * m0
                            + sigmaT * Math.sqrt(1.0 - Math.exp(-2 * h)) * noise[j];
                } else if (use == 2) {
                    double s1 = sigmas[i - 1];
                    double h0 = lambda(s0) - lambda(s1), r0 = h0 / h;
                    double m1 = outputs[order - 2][j];
                    double d0 = m0, d1 = (1.0 / r0) * (m0 - m1);
                    next[j] = !sde ? (sigmaT / sigmaS0) * x[j] - alphaT * (Math.exp(-h) - 1.0) * d0 - 0.5 * (alphaT * (Math.exp(-h) - 1.0)) * d1
                            : (sigmaT / sigmaS0 * Math.exp(-h)) * x[j] + alphaT * (1 - Math.exp(-2.0 * h)) * d0
                            + 0.5 * (alphaT * (1 - Math.exp(-2.0 * h))) * d1 + sigmaT * Math.sqrt(1.0 - Math.exp(-2 * h)) * noise[j];
                } else {
                    double s1 = sigmas[i - 1], s2 = sigmas[i - 2];
                    double h0 = lambda(s0) - lambda(s1), h1 = lambda(s1) - lambda(s2);
                    double r0 = h0 / h, r1 = h1 / h;
                    double m1 = outputs[order - 2][j], m2 = outputs[order - 3][j];
                    double d0 = m0, d10 = (1.0 / r0) * (m0 - m1), d11 = (1.0 / r1) * (m1 - m2);
                    double d1 = d10 + (r0 / (r0 + r1)) * (d10 - d11), d2 = (1.0 / (r0 + r1)) * (d10 - d11);
                    next[j] = !sde ? (sigmaT / sigmaS0) * x[j] - alphaT * (Math.exp(-h) - 1.0) * d0
                            + alphaT * ((Math.exp(-h) - 1.0) / h + 1.0) * d1 - alphaT * ((Math.exp(-h) - 1.0 + h) / (h * h) - 0.5) * d2
                            : (sigmaT / sigmaS0 * Math.exp(-h)) * x[j] + alphaT * (1.0 - Math.exp(-2.0 * h)) * d0
                            + alphaT * ((1.0 - Math.exp(-2.0 * h)) / (-2.0 * h) + 1.0) * d1
                            + alphaT * ((1.0 - Math.exp(-2.0 * h) - 2.0 * h) / (4 * h * h) - 0.5) * d2
                            + sigmaT * Math.sqrt(1.0 - Math.exp(-2 * h)) * noise[j];
                }
            }
            if (lowerOrderNums < order) lowerOrderNums++;
            x = next;
        }
        return x;
    }

    double[] uniPc(double[] sigmas, int order, boolean lowerOrderFinal, double start) {
        double[] x = times(z(), start);
        int steps = sigmas.length - 1;
        double[][] outputs = new double[order][];
        double[] lastSample = null;
        int lowerOrderNums = 0, thisOrder = 0;
        for (int i = 0; i < steps; i++) {
            double[] mt = x0(x, sigmas[i]);
            if (i > 0 && lastSample != null) x = uniC(sigmas, outputs, mt, lastSample, x, i, thisOrder);
            for (int k = 0; k < order - 1; k++) outputs[k] = outputs[k + 1];
            outputs[order - 1] = mt;
            int o = lowerOrderFinal ? Math.min(order, steps - i) : order;
            thisOrder = Math.min(o, lowerOrderNums + 1);
            lastSample = x;
            x = uniP(sigmas, outputs, x, i, thisOrder);
            if (lowerOrderNums < order) lowerOrderNums++;
        }
        return x;
    }

    private static double[] bVector(double hh, int order) {
        double hPhi1 = Math.expm1(hh), hPhiK = hPhi1 / hh - 1, bh = Math.expm1(hh);
        double factorial = 1;
        double[] b = new double[order];
        for (int i = 1; i <= order; i++) {
            b[i - 1] = hPhiK * factorial / bh;
            factorial *= i + 1;
            hPhiK = hPhiK / hh - 1 / factorial;
        }
        return b;
    }

    private static double[][] rMatrix(double[] rks, int size) {
        double[][] r = new double[size][size];
        for (int i = 0; i < size; i++) for (int k = 0; k < size; k++) r[i][k] = Math.pow(rks[k], i);
        return r;
    }

    /** Cramer's rule for the 1 x 1 .. 3 x 3 systems UniPC solves (torch.linalg.solve). */
    private static double[] cramer(double[][] a, double[] b) {
        int n = b.length;
        double det = det(a, n);
        double[] x = new double[n];
        for (int c = 0; c < n; c++) {
            double[][] m = new double[n][n];
            for (int r = 0; r < n; r++) for (int k = 0; k < n; k++) m[r][k] = k == c ? b[r] : a[r][k];
            x[c] = det(m, n) / det;
        }
        return x;
    }

    private static double det(double[][] m, int n) {
        if (n == 1) return m[0][0];
        if (n == 2) return m[0][0] * m[1][1] - m[0][1] * m[1][0];
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }

    private double[] uniP(double[] sigmas, double[][] outputs, double[] x, int i, int order) {
        int last = outputs.length - 1;
        double[] m0 = outputs[last];
        double sT = sigmas[i + 1], s0 = sigmas[i];
        double alphaT = sT == 0 ? 1 : alpha(sT), sigmaT = sT == 0 ? 0 : sT * alpha(sT), sigmaS0 = s0 * alpha(s0);
        double h = (sT == 0 ? Double.POSITIVE_INFINITY : lambda(sT)) - lambda(s0);
        double[] rks = new double[order];
        double[][] d1s = new double[order - 1][];
        for (int k = 1; k < order; k++) {
            double[] mi = outputs[last - k];
            double rk = (lambda(sigmas[i - k]) - lambda(s0)) / h;
            rks[k - 1] = rk;
            d1s[k - 1] = new double[x.length];
            for (int j = 0; j < x.length; j++) d1s[k - 1][j] = (mi[j] - m0[j]) / rk;
        }
        rks[order - 1] = 1;
        double hh = -h, hPhi1 = Math.expm1(hh), bh = Math.expm1(hh);
        double[] b = bVector(hh, order);
        double[] rhos = order == 1 ? new double[0] : order == 2 ? new double[]{0.5}
                : cramer(rMatrix(rks, order - 1), java.util.Arrays.copyOf(b, order - 1));
        double[] out = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            double xt = sigmaT / sigmaS0 * x[j] - alphaT * hPhi1 * m0[j];
            double res = 0;
            for (int k = 0; k < order - 1; k++) res += rhos[k] * d1s[k][j];
            out[j] = order == 1 ? xt : xt - alphaT * bh * res;
        }
        return out;
    }

    private double[] uniC(double[] sigmas, double[][] outputs, double[] modelT, double[] lastSample, double[] thisSample, int i, int order) {
        int last = outputs.length - 1;
        double[] m0 = outputs[last];
        double sT = sigmas[i], s0 = sigmas[i - 1];
        double alphaT = alpha(sT), sigmaT = sT * alpha(sT), sigmaS0 = s0 * alpha(s0);
        double h = lambda(sT) - lambda(s0);
        double[] rks = new double[order];
        double[][] d1s = new double[order - 1][];
        for (int k = 1; k < order; k++) {
            double[] mi = outputs[last - k];
            double rk = (lambda(sigmas[i - (k + 1)]) - lambda(s0)) / h;
            rks[k - 1] = rk;
            d1s[k - 1] = new double[thisSample.length];
            for (int j = 0; j < thisSample.length; j++) d1s[k - 1][j] = (mi[j] - m0[j]) / rk;
        }
        rks[order - 1] = 1;
        double hh = -h, hPhi1 = Math.expm1(hh), bh = Math.expm1(hh);
        double[] b = bVector(hh, order);
        double[] rhos = order == 1 ? new double[]{0.5} : cramer(rMatrix(rks, order), b);
        double[] out = new double[thisSample.length];
        for (int j = 0; j < out.length; j++) {
            double xt = sigmaT / sigmaS0 * lastSample[j] - alphaT * hPhi1 * m0[j];
            double corr = 0;
            for (int k = 0; k < order - 1; k++) corr += rhos[k] * d1s[k][j];
            double d1t = modelT[j] - m0[j];
            out[j] = xt - alphaT * bh * (corr + rhos[order - 1] * d1t);
        }
        return out;
    }

    // ------------------------------------------------------------------ DDIM and DDPM (variance-preserving x_t, integer t)

    /** The exact epsilon-network at integer timestep t: eps(x_t, t) = (y - D(y; sigma_t)) / sigma_t with y = x / sqrt(abar). */
    private double[] epsAt(DiscreteSchedule schedule, double[] x, int t) {
        double ab = schedule.alphaBar(t), sigma = schedule.sigma(t);
        double[] y = times(x, 1 / Math.sqrt(ab));
        double[] d = denoise(y, sigma);
        double[] e = new double[x.length];
        for (int i = 0; i < x.length; i++) e[i] = (y[i] - d[i]) / sigma;
        return e;
    }

    /** DDIMScheduler.step (clip_sample off, set_alpha_to_one): prev = t - T // S, eta noise from the per-step stream. */
    double[] ddim(DiscreteSchedule schedule, int[] timesteps, double eta) {
        double[] x = z();
        int ratio = schedule.steps() / timesteps.length;
        for (int k = 0; k < timesteps.length; k++) {
            int t = timesteps[k], prev = t - ratio;
            double ab = schedule.alphaBar(t), abPrev = prev >= 0 ? schedule.alphaBar(prev) : 1.0, beta = 1 - ab;
            double[] out = epsAt(schedule, x, t);
            double variance = (1 - abPrev) / (1 - ab) * (1 - ab / abPrev);
            double std = eta * Math.sqrt(variance);
            double[] noise = eta > 0 ? noise(k) : null;
            double[] next = new double[x.length];
            for (int j = 0; j < x.length; j++) {
                double pred = (x[j] - Math.sqrt(beta) * out[j]) / Math.sqrt(ab);
                double direction = Math.sqrt(1 - abPrev - std * std) * out[j];
                next[j] = Math.sqrt(abPrev) * pred + direction + (eta > 0 ? std * noise[j] : 0);
            }
            x = next;
        }
        return x;
    }

    /** DDPMScheduler.step with variance_type fixed_small (beta-tilde, clamped at 1e-20), noise while t > 0. */
    double[] ddpm(DiscreteSchedule schedule, int[] timesteps) {
        double[] x = z();
        for (int k = 0; k < timesteps.length; k++) {
            int t = timesteps[k], prev = k + 1 < timesteps.length ? timesteps[k + 1] : -1;
            double ab = schedule.alphaBar(t), abPrev = prev >= 0 ? schedule.alphaBar(prev) : 1.0;
            double betaProd = 1 - ab, betaProdPrev = 1 - abPrev, alphaT = ab / abPrev, betaT = 1 - alphaT;
            double[] out = epsAt(schedule, x, t);
            double predCoeff = Math.sqrt(abPrev) * betaT / betaProd, sampleCoeff = Math.sqrt(alphaT) * betaProdPrev / betaProd;
            double variance = Math.max((1 - abPrev) / (1 - ab) * betaT, 1e-20);
            double[] noise = t > 0 ? noise(k) : null;
            double[] next = new double[x.length];
            for (int j = 0; j < x.length; j++) {
                double pred = (x[j] - Math.sqrt(betaProd) * out[j]) / Math.sqrt(ab);
                next[j] = predCoeff * pred + sampleCoeff * x[j] + (t > 0 ? Math.sqrt(variance) * noise[j] : 0);
            }
            x = next;
        }
        return x;
    }

    static double[] times(double[] v, double c) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i] * c;
        return out;
    }
}
