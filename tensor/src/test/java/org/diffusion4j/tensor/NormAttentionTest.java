package org.diffusion4j.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.function.Function;

import static org.diffusion4j.tensor.Reference.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Group norm (with and without affine parameters and SiLU) and attention (with and without a mask)
 * against plain double loops; their backward primitives against central finite differences in F64 and
 * against the F64 result in F32.
 */
class NormAttentionTest {

    // ------------------------------------------------------------------ group norm

    /** Plain group norm of x [n, c, s] (flattened spatial) in double; returns {out, mean, rstd}. */
    private static double[][] groupNormRef(double[] x, double[] gamma, double[] beta, int n, int c, int s, int groups,
                                           double eps, boolean silu) {
        double[] out = new double[x.length], mean = new double[n * groups], rstd = new double[n * groups];
        int cpg = c / groups;
        for (int b = 0; b < n; b++)
            for (int g = 0; g < groups; g++) {
                double sum = 0;
                for (int ch = g * cpg; ch < (g + 1) * cpg; ch++) for (int p = 0; p < s; p++) sum += x[(b * c + ch) * s + p];
                double mu = sum / (cpg * s), sq = 0;
                for (int ch = g * cpg; ch < (g + 1) * cpg; ch++) for (int p = 0; p < s; p++) sq += Math.pow(x[(b * c + ch) * s + p] - mu, 2);
                double r = 1 / Math.sqrt(sq / (cpg * s) + eps);
                mean[b * groups + g] = mu;
                rstd[b * groups + g] = r;
                for (int ch = g * cpg; ch < (g + 1) * cpg; ch++)
                    for (int p = 0; p < s; p++) {
                        int i = (b * c + ch) * s + p;
                        double y = (x[i] - mu) * r * (gamma == null ? 1 : gamma[ch]) + (beta == null ? 0 : beta[ch]);
                        out[i] = silu ? y / (1 + Math.exp(-y)) : y;
                    }
            }
        return new double[][]{out, mean, rstd};
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void groupNormForwardMatchesLoops(DType t) {
        int[][] shapes = {{2, 6, 5, 3}, {1, 3, 17}, {3, 4, 1, 1}, {2, 32, 3, 3}};
        int[] groupsFor = {3, 1, 4, 8};
        for (int q = 0; q < shapes.length; q++) {
            int[] sh = shapes[q];
            int n = sh[0], c = sh[1], s = (int) (Shapes.numel(sh) / (n * c)), groups = groupsFor[q];
            Tensor x = Reference.random(t, 40 + q, -2.0, 3.0, sh);
            Tensor gamma = Reference.random(t, 50 + q, c), beta = Reference.random(t, 60 + q, c);
            for (boolean affine : new boolean[]{false, true})
                for (boolean silu : new boolean[]{false, true}) {
                    double[][] ref = groupNormRef(x.toDoubleArray(), affine ? gamma.toDoubleArray() : null,
                            affine ? beta.toDoubleArray() : null, n, c, s, groups, 1e-5, silu);
                    Tensor.GroupNormResult r = Tensor.groupNorm(x, affine ? gamma : null, affine ? beta : null, groups, 1e-5, silu);
                    String what = Shapes.str(sh) + " G=" + groups + " affine=" + affine + " silu=" + silu + " " + t;
                    assertClose("groupNorm " + what, ref[0], r.out(), tol(t) * 10);
                    assertClose("groupNorm mean " + what, ref[1], r.mean(), tol(t) * 10);
                    assertClose("groupNorm rstd " + what, ref[2], r.rstd(), tol(t) * 10);
                }
        }
    }

    /** Central difference of f at x along every coordinate, as an array of partial derivatives. */
    private static double[] numericGradient(double[] x, Function<double[], Double> f) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double keep = x[i], h = 1e-6 * Math.max(1, Math.abs(keep));
            x[i] = keep + h;
            double up = f.apply(x);
            x[i] = keep - h;
            double down = f.apply(x);
            x[i] = keep;
            g[i] = (up - down) / (2 * h);
        }
        return g;
    }

    private static double dot(Tensor a, double[] b) {
        double[] d = a.toDoubleArray();
        double s = 0;
        for (int i = 0; i < d.length; i++) s += d[i] * b[i];
        return s;
    }

    @Test
    void groupNormBackwardMatchesFiniteDifferences() {
        int[] sh = {2, 6, 5};
        int groups = 3;
        double[] x = randomData(70, 60, -2, 2), gamma = randomData(71, 6, 0.5, 1.5), beta = randomData(72, 6, -1, 1);
        double[] g = randomData(73, 60, -1, 1);
        // loss L = <groupNorm(x), g>
        Function<double[][], Double> loss = p -> dot(Tensor.groupNorm(Tensor.of(CPU, p[0], sh), Tensor.of(CPU, p[1], 6),
                Tensor.of(CPU, p[2], 6), groups, 1e-5, false).out(), g);
        double[] dx = numericGradient(x, v -> loss.apply(new double[][]{v, gamma, beta}));
        double[] dGamma = numericGradient(gamma, v -> loss.apply(new double[][]{x, v, beta}));
        double[] dBeta = numericGradient(beta, v -> loss.apply(new double[][]{x, gamma, v}));
        Tensor xt = Tensor.of(CPU, x, sh), gt = Tensor.of(CPU, gamma, 6);
        Tensor.GroupNormResult fwd = Tensor.groupNorm(xt, gt, Tensor.of(CPU, beta, 6), groups, 1e-5, false);
        Tensor.GroupNormGrads grads = Tensor.groupNormBackward(Tensor.of(CPU, g, sh), xt, gt, fwd.mean(), fwd.rstd(), groups);
        assertClose("groupNorm dx", dx, grads.input(), 1e-7);
        assertClose("groupNorm dgamma", dGamma, grads.gamma(), 1e-7);
        assertClose("groupNorm dbeta", dBeta, grads.beta(), 1e-7);
        // without gamma: the input gradient alone, and F32 close to F64
        Tensor.GroupNormResult plain = Tensor.groupNorm(xt, null, null, groups, 1e-5, false);
        double[] dxPlain = numericGradient(x, v -> dot(Tensor.groupNorm(Tensor.of(CPU, v, sh), null, null, groups, 1e-5, false).out(), g));
        Tensor.GroupNormGrads noAffine = Tensor.groupNormBackward(Tensor.of(CPU, g, sh), xt, null, plain.mean(), plain.rstd(), groups);
        assertClose("groupNorm dx without gamma", dxPlain, noAffine.input(), 1e-7);
        assertNull(noAffine.gamma());
        Tensor x32 = xt.cast(DType.F32), g32 = gt.cast(DType.F32);
        Tensor.GroupNormResult f32 = Tensor.groupNorm(x32, g32, null, groups, 1e-5, false);
        Tensor.GroupNormGrads grads32 = Tensor.groupNormBackward(Tensor.of(CPU, g, sh).cast(DType.F32), x32, g32, f32.mean(), f32.rstd(), groups);
        assertClose("groupNorm dx F32", grads.input().toDoubleArray(), grads32.input(), 1e-5);
        assertClose("groupNorm dgamma F32", grads.gamma().toDoubleArray(), grads32.gamma(), 1e-5);
    }

    @Test
    void groupNormRejectsIndivisibleGroups() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.groupNorm(Tensor.zeros(CPU, DType.F32, 1, 6, 2), null, null, 4, 1e-5, false));
        assertTrue(e.getMessage().contains("6") && e.getMessage().contains("4"), e.getMessage());
    }

    // ------------------------------------------------------------------ attention

    /** softmax(q k^T scale + mask) v with plain loops; returns {out, logSumExp}. mask is [B, L, S] or null. */
    private static double[][] attentionRef(double[] q, double[] k, double[] v, double[] mask, int b, int l, int s, int d, int e, double scale) {
        double[] out = new double[b * l * e], lse = new double[b * l];
        for (int bi = 0; bi < b; bi++)
            for (int i = 0; i < l; i++) {
                double[] logit = new double[s];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < s; j++) {
                    double dotp = 0;
                    for (int t = 0; t < d; t++) dotp += q[(bi * l + i) * d + t] * k[(bi * s + j) * d + t];
                    logit[j] = dotp * scale + (mask == null ? 0 : mask[(bi * l + i) * s + j]);
                    max = Math.max(max, logit[j]);
                }
                double sum = 0;
                for (int j = 0; j < s; j++) sum += Math.exp(logit[j] - max);
                lse[bi * l + i] = max + Math.log(sum);
                for (int j = 0; j < s; j++) {
                    double p = Math.exp(logit[j] - max) / sum;
                    for (int t = 0; t < e; t++) out[(bi * l + i) * e + t] += p * v[(bi * s + j) * e + t];
                }
            }
        return new double[][]{out, lse};
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void attentionForwardWithAndWithoutMask(DType t) {
        int[][] dims = {{2, 3, 5, 4, 3}, {1, 1, 1, 1, 1}, {3, 17, 33, 8, 5}};
        for (int[] dm : dims) {
            int b = dm[0], l = dm[1], s = dm[2], d = dm[3], e = dm[4];
            Tensor q = Reference.random(t, 80, b, l, d), k = Reference.random(t, 81, b, s, d), v = Reference.random(t, 82, b, s, e);
            // a causal-style mask [L, S] broadcast over the batch: -1e9 above a diagonal
            double[] m2 = new double[l * s];
            for (int i = 0; i < l; i++) for (int j = 0; j < s; j++) m2[i * s + j] = j > i + 1 ? -1e9 : 0.25 * ((i + j) % 3);
            Tensor mask = Tensor.of(CPU, t, m2, l, s);
            double[] mFull = new double[b * l * s];
            for (int q0 = 0; q0 < mFull.length; q0++) mFull[q0] = mask.toDoubleArray()[q0 % (l * s)];
            double scale = 1 / Math.sqrt(d);
            for (boolean masked : new boolean[]{false, true}) {
                double[][] ref = attentionRef(q.toDoubleArray(), k.toDoubleArray(), v.toDoubleArray(), masked ? mFull : null, b, l, s, d, e, scale);
                Tensor.AttentionResult r = Tensor.attention(q, k, v, masked ? mask : null, scale);
                String what = java.util.Arrays.toString(dm) + " masked=" + masked + " " + t;
                assertClose("attention " + what, ref[0], r.out(), accTol(t));
                assertClose("attention lse " + what, ref[1], r.logSumExp(), accTol(t));
            }
        }
    }

    @Test
    void attentionBackwardMatchesFiniteDifferences() {
        int b = 2, l = 3, s = 5, d = 4, e = 3;
        double scale = 0.7;
        double[] q = randomData(90, b * l * d, -1, 1), k = randomData(91, b * s * d, -1, 1), v = randomData(92, b * s * e, -1, 1);
        double[] g = randomData(93, b * l * e, -1, 1), m = randomData(94, b * l * s, -2, 0);
        for (boolean masked : new boolean[]{false, true}) {
            Tensor mask = masked ? Tensor.of(CPU, m, b, l, s) : null;
            Function<double[][], Double> loss = p -> dot(Tensor.attention(Tensor.of(CPU, p[0], b, l, d), Tensor.of(CPU, p[1], b, s, d),
                    Tensor.of(CPU, p[2], b, s, e), mask, scale).out(), g);
            double[] dq = numericGradient(q, x -> loss.apply(new double[][]{x, k, v}));
            double[] dk = numericGradient(k, x -> loss.apply(new double[][]{q, x, v}));
            double[] dv = numericGradient(v, x -> loss.apply(new double[][]{q, k, x}));
            Tensor qt = Tensor.of(CPU, q, b, l, d), kt = Tensor.of(CPU, k, b, s, d), vt = Tensor.of(CPU, v, b, s, e);
            Tensor.AttentionResult fwd = Tensor.attention(qt, kt, vt, mask, scale);
            Tensor.AttentionGrads grads = Tensor.attentionBackward(qt, kt, vt, mask, scale, fwd, Tensor.of(CPU, g, b, l, e));
            assertClose("attention dq masked=" + masked, dq, grads.q(), 1e-7);
            assertClose("attention dk masked=" + masked, dk, grads.k(), 1e-7);
            assertClose("attention dv masked=" + masked, dv, grads.v(), 1e-7);
            // F32 agrees with F64
            Tensor m32 = mask == null ? null : mask.cast(DType.F32);
            Tensor.AttentionResult f32 = Tensor.attention(qt.cast(DType.F32), kt.cast(DType.F32), vt.cast(DType.F32), m32, scale);
            Tensor.AttentionGrads g32 = Tensor.attentionBackward(qt.cast(DType.F32), kt.cast(DType.F32), vt.cast(DType.F32), m32, scale,
                    f32, Tensor.of(CPU, g, b, l, e).cast(DType.F32));
            assertClose("attention dq F32", grads.q().toDoubleArray(), g32.q(), 1e-5);
            assertClose("attention dk F32", grads.k().toDoubleArray(), g32.k(), 1e-5);
            assertClose("attention dv F32", grads.v().toDoubleArray(), g32.v(), 1e-5);
        }
    }

    @Test
    void attentionShapeMismatchNamesTheShapes() {
        Tensor q = Tensor.zeros(CPU, DType.F32, 2, 3, 4), k = Tensor.zeros(CPU, DType.F32, 2, 5, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.attention(q, k, k, null, 1));
        assertTrue(e.getMessage().contains("[2, 3, 4]") && e.getMessage().contains("[2, 5, 6]"), e.getMessage());
    }
}
