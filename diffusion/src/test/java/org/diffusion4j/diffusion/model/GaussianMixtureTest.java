package org.diffusion4j.diffusion.model;

import org.diffusion4j.diffusion.sde.VeSde;
import org.diffusion4j.diffusion.sde.VpSde;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class GaussianMixtureTest {
    private final Backend cpu = Backends.cpu();

    /** A random 3-component mixture in 5 dimensions with full covariances A A^T + 0.1 I. */
    static GaussianMixture randomMixture(int k, int d, long seed) {
        Random r = new Random(seed);
        double[] w = new double[k];
        double total = 0;
        for (int i = 0; i < k; i++) { w[i] = 0.5 + r.nextDouble(); total += w[i]; }
        for (int i = 0; i < k; i++) w[i] /= total;
        double[][] m = new double[k][d];
        double[][][] c = new double[k][d][d];
        for (int i = 0; i < k; i++) {
            double[][] a = new double[d][d];
            for (int p = 0; p < d; p++) { m[i][p] = 3 * r.nextGaussian(); for (int q = 0; q < d; q++) a[p][q] = 0.4 * r.nextGaussian(); }
            for (int p = 0; p < d; p++) for (int q = 0; q < d; q++) {
                double s = 0;
                for (int u = 0; u < d; u++) s += a[p][u] * a[q][u];
                c[i][p][q] = s + (p == q ? 0.1 : 0);
            }
        }
        return new GaussianMixture("random", w, m, c);
    }

    /** log p of the mixture with covariances alpha^2 S_k + s^2 I, written plainly in float64 (Gauss-Jordan inverse). */
    static double referenceLogDensity(GaussianMixture g, double[] x, double alpha, double s) {
        int d = g.dimension();
        double total = 0;
        for (int k = 0; k < g.components(); k++) {
            double[][] c = g.covariance(k);
            for (int i = 0; i < d; i++) { for (int j = 0; j < d; j++) c[i][j] *= alpha * alpha; c[i][i] += s * s; }
            double[] diff = new double[d];
            for (int i = 0; i < d; i++) diff[i] = x[i] - alpha * g.mean(k)[i];
            double[] sol = diff.clone();
            double logDet = gaussSolve(c, sol);
            double q = 0;
            for (int i = 0; i < d; i++) q += diff[i] * sol[i];
            total += g.weight(k) * Math.exp(-0.5 * q - 0.5 * logDet - 0.5 * d * Math.log(2 * Math.PI));
        }
        return Math.log(total);
    }

    /** Solves c x = b in place (b becomes x) by Gaussian elimination with partial pivoting; returns log|det c|. */
    private static double gaussSolve(double[][] c, double[] b) {
        int n = b.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) a[i] = c[i].clone();
        double logDet = 0;
        for (int col = 0; col < n; col++) {
            int piv = col;
            for (int r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) piv = r;
            double[] t = a[col]; a[col] = a[piv]; a[piv] = t;
            double tb = b[col]; b[col] = b[piv]; b[piv] = tb;
            logDet += Math.log(Math.abs(a[col][col]));
            for (int r = col + 1; r < n; r++) {
                double f = a[r][col] / a[col][col];
                for (int q = col; q < n; q++) a[r][q] -= f * a[col][q];
                b[r] -= f * b[col];
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int q = i + 1; q < n; q++) s -= a[i][q] * b[q];
            b[i] = s / a[i][i];
        }
        return logDet;
    }

    @Test
    void logDensityMatchesAPlainLoop() {
        GaussianMixture g = randomMixture(3, 5, 1);
        int n = 17;
        Tensor x = Tensor.randn(cpu, DType.F64, 3, 0, n, 5).mul(3);
        double[] xs = x.toDoubleArray();
        double[] lp = g.logDensity(x, 0.8, 0.45).toDoubleArray();
        for (int i = 0; i < n; i++) {
            double[] p = java.util.Arrays.copyOfRange(xs, i * 5, i * 5 + 5);
            assertEquals(referenceLogDensity(g, p, 0.8, 0.45), lp[i], 1e-9, "point " + i);
        }
    }

    @Test
    void scoreIsTheGradientOfTheLogDensity() {
        GaussianMixture g = randomMixture(3, 5, 2);
        double sigma = 0.7, h = 1e-5;
        Tensor x = Tensor.randn(cpu, DType.F64, 4, 0, 3, 5).mul(2);
        double[] xs = x.toDoubleArray();
        double[] score = g.score(x, sigma).toDoubleArray();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 5; j++) {
                double[] p = java.util.Arrays.copyOfRange(xs, i * 5, i * 5 + 5), q = p.clone();
                p[j] += h;
                q[j] -= h;
                double fd = (referenceLogDensity(g, p, 1, sigma) - referenceLogDensity(g, q, 1, sigma)) / (2 * h);
                assertEquals(fd, score[i * 5 + j], 1e-6 * Math.max(1, Math.abs(fd)), "point " + i + " dim " + j);
            }
        }
    }

    @Test
    void nonContiguousAndExpandedInputsGiveTheSameScore() {
        GaussianMixture g = randomMixture(3, 5, 3);
        Tensor base = Tensor.randn(cpu, DType.F64, 8, 0, 5, 33);
        Tensor view = base.transpose(0, 1);            // [33, 5], non-contiguous
        assertFalse(view.isContiguous());
        assertArrayEquals(g.score(view.contiguous(), 0.3).toDoubleArray(), g.score(view, 0.3).toDoubleArray(), 1e-12);
        Tensor row = Tensor.randn(cpu, DType.F64, 9, 0, 1, 5);
        Tensor expanded = row.expand(3, 5);              // stride 0 along the batch
        double[] one = g.denoise(row, 1.1).toDoubleArray(), three = g.denoise(expanded, 1.1).toDoubleArray();
        for (int i = 0; i < 3; i++) assertArrayEquals(one, java.util.Arrays.copyOfRange(three, 5 * i, 5 * i + 5), 1e-12);
    }

    @Test
    void gaussianDenoiserIsThePosteriorMean() {
        // E[x0 | x] = m + S (S + sigma^2 I)^{-1} (x - m) for one Gaussian
        GaussianMixture g = AnalyticModels.gaussian2d();
        double sigma = 0.9;
        double[] x = {0.3, 2.0};
        double[][] s = g.covariance(0);
        double[] m = g.mean(0);
        double a = s[0][0] + sigma * sigma, b = s[0][1], d = s[1][1] + sigma * sigma, det = a * d - b * b;
        double[] r = {x[0] - m[0], x[1] - m[1]};
        double[] sol = {(d * r[0] - b * r[1]) / det, (-b * r[0] + a * r[1]) / det};
        double[] expected = {m[0] + s[0][0] * sol[0] + s[0][1] * sol[1], m[1] + s[1][0] * sol[0] + s[1][1] * sol[1]};
        double[] got = g.denoise(Tensor.of(cpu, x, 1, 2), sigma).toDoubleArray();
        assertArrayEquals(expected, got, 1e-12);
    }

    @Test
    void scoreUnderAProcessEqualsTheConvertedVarianceExplodingScore() {
        GaussianMixture g = AnalyticModels.eightGaussians();
        Tensor x = Tensor.randn(cpu, DType.F64, 5, 0, 33, 2);
        for (var process : new org.diffusion4j.diffusion.schedule.MarginalProcess[]{new VpSde(), new VeSde(0.01, 10)}) {
            for (double t : new double[]{0.05, 0.5, 0.9}) {
                double[] direct = g.scoreAt(x, process, t).toDoubleArray();
                double[] converted = g.scoreOn(process).score(x, t).toDoubleArray();
                assertArrayEquals(direct, converted, 1e-9 * Math.max(1, maxAbs(direct)), process + " t=" + t);
            }
        }
    }

    @Test
    void exactSamplesHaveTheMixtureMoments() {
        GaussianMixture g = randomMixture(3, 4, 7);
        int n = 20000;
        double[] xs = g.sample(cpu, DType.F64, n, 99, 0).toDoubleArray();
        MixtureChecks.assertMatches(g, xs, 0);
        // per-sample streams: sample 5 drawn alone equals sample 5 of the batch
        double[] one = g.sample(cpu, DType.F64, 1, 99, 5).toDoubleArray();
        assertArrayEquals(java.util.Arrays.copyOfRange(xs, 20, 24), one, 0.0);
    }

    @Test
    void presetsAreNamedAndBadInputsAreRejected() {
        assertEquals(8, AnalyticModels.byName("8gaussians").components());
        assertArrayEquals(new double[]{2 * Math.cos(3 * Math.PI / 4), 2 * Math.sin(3 * Math.PI / 4)},
                AnalyticModels.byName("8gaussians").mean(3), 1e-15);
        assertEquals(8, AnalyticModels.byName("checkerboard-gmm").components());
        assertEquals(1, AnalyticModels.byName("gaussian").components());
        var e = assertThrows(IllegalArgumentException.class, () -> AnalyticModels.byName("moons"));
        assertTrue(e.getMessage().contains("moons"));
        e = assertThrows(IllegalArgumentException.class, () -> GaussianMixture.gaussian("bad", new double[]{0, 0},
                new double[][]{{1, 2}, {2, 1}}));
        assertTrue(e.getMessage().contains("positive definite"));
        e = assertThrows(IllegalArgumentException.class, () -> AnalyticModels.gaussian2d().score(Tensor.zeros(cpu, DType.F64, 4, 3), 1.0));
        assertTrue(e.getMessage().contains("[4, 3]"));
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double d : v) m = Math.max(m, Math.abs(d));
        return m;
    }
}
