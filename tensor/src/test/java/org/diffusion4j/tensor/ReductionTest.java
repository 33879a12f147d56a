package org.diffusion4j.tensor;

import org.diffusion4j.tensor.Reference.Nd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.diffusion4j.tensor.Reference.*;
import static org.junit.jupiter.api.Assertions.*;

/** sum, mean, max, min, var over axes with and without keepdim, argmax, softmax and logSoftmax. */
class ReductionTest {

    /** Plain reference: reduces nd over the axes marked in reduce, in keepdim form. kind: sum, mean, max, min. */
    private static double[] reduceRef(Nd x, boolean[] reduce, String kind) {
        int[] ks = x.shape().clone();
        for (int a = 0; a < ks.length; a++) if (reduce[a]) ks[a] = 1;
        Nd out = Nd.zeros(ks);
        int[] count = new int[out.numel()];
        double init = kind.equals("max") ? Double.NEGATIVE_INFINITY : kind.equals("min") ? Double.POSITIVE_INFINITY : 0;
        Arrays.fill(out.data(), init);
        for (int i = 0; i < x.numel(); i++) {
            int[] idx = x.unravel(i);
            for (int a = 0; a < idx.length; a++) if (reduce[a]) idx[a] = 0;
            int o = out.index(idx);
            double v = x.data()[i];
            out.data()[o] = switch (kind) {
                case "max" -> Math.max(out.data()[o], v);
                case "min" -> Math.min(out.data()[o], v);
                default -> out.data()[o] + v;
            };
            count[o]++;
        }
        if (kind.equals("mean")) for (int o = 0; o < count.length; o++) out.data()[o] /= count[o];
        return out.data();
    }

    private static int[] keptShape(int[] shape, boolean[] reduce, boolean keepDim) {
        return Arrays.stream(range(shape.length)).filter(a -> keepDim || !reduce[a]).map(a -> reduce[a] ? 1 : shape[a]).toArray();
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sumMeanMaxMinVarOverAxes(DType t) {
        Tensor dense = Reference.random(t, 1, 3, 17, 5);
        Tensor strided = Reference.random(t, 2, 5, 17, 3).permute(2, 1, 0);         // [3, 17, 5] non-contiguous
        Tensor broadcast = Reference.random(t, 3, 3, 1, 5).expand(3, 17, 5);       // zero strides
        int[][] axesSets = {{}, {0}, {1}, {2}, {0, 2}, {-1, 0}, {0, 1, 2}};
        for (Tensor x : new Tensor[]{dense, strided, broadcast}) {
            Nd nd = Nd.of(x);
            for (int[] axes : axesSets) {
                boolean[] red = new boolean[3];
                if (axes.length == 0) Arrays.fill(red, true);
                for (int a : axes) red[(a + 3) % 3] = true;
                for (boolean keep : new boolean[]{true, false}) {
                    String what = Arrays.toString(axes) + " keepDim=" + keep + " " + t + " strides " + Arrays.toString(x.strides());
                    Tensor s = x.sum(keep, axes), m = x.mean(keep, axes), mx = x.max(keep, axes), mn = x.min(keep, axes);
                    for (Tensor r : new Tensor[]{s, m, mx, mn}) assertShape(keptShape(x.shape(), red, keep), r);
                    assertClose("sum " + what, reduceRef(nd, red, "sum"), s, tol(t) * 10);
                    assertClose("mean " + what, reduceRef(nd, red, "mean"), m, tol(t) * 10);
                    assertClose("max " + what, reduceRef(nd, red, "max"), mx, 0);
                    assertClose("min " + what, reduceRef(nd, red, "min"), mn, 0);
                    // var: the two-pass reference mean((x - mean)^2) * n / (n - correction)
                    double[] mean = reduceRef(nd, red, "mean");
                    Nd centredSq = new Nd(new double[nd.numel()], nd.shape());
                    int[] ks = keptShape(x.shape(), red, true);
                    Nd meanNd = new Nd(mean, ks);
                    for (int i = 0; i < nd.numel(); i++) {
                        double d = nd.data()[i] - meanNd.getBroadcast(nd.unravel(i));
                        centredSq.data()[i] = d * d;
                    }
                    double[] ss = reduceRef(centredSq, red, "sum");
                    int n = nd.numel() / ss.length;
                    double[] v1 = new double[ss.length];
                    for (int i = 0; i < ss.length; i++) v1[i] = ss[i] / (n - 1);
                    if (n > 1) assertClose("var " + what, v1, x.var(1, keep, axes), tol(t) * 20);
                }
            }
        }
    }

    @Test
    void reductionsOfOneElementAndScalarResults() {
        Tensor x = Tensor.of(CPU, new double[]{4.5}, 1, 1);
        assertEquals(4.5, x.sum().item());
        assertEquals(0, x.sum().rank());
        assertEquals(4.5, x.max(false, 0).item());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.sum(false, 2));
        assertTrue(e.getMessage().contains("axis 2"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> x.var(1, false));
        assertTrue(e2.getMessage().contains("var"), e2.getMessage());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void argmaxTakesTheFirstMaximum(DType t) {
        Tensor x = Reference.random(t, 9, 4, 17, 3).permute(1, 0, 2);  // [17, 4, 3] strided
        Nd nd = Nd.of(x);
        for (int axis = 0; axis < 3; axis++) {
            Tensor am = x.argmax(axis, true);
            int[] ks = x.shape();
            ks[axis] = 1;
            assertShape(ks, am);
            Nd out = new Nd(am.toDoubleArray(), ks);
            for (int o = 0; o < out.numel(); o++) {
                int[] idx = out.unravel(o);
                int best = 0;
                double bv = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < x.shape()[axis]; i++) {
                    idx[axis] = i;
                    if (nd.get(idx) > bv) { bv = nd.get(idx); best = i; }
                }
                assertEquals(best, out.data()[o], "argmax axis " + axis + " at " + o);
            }
            assertEquals(2, x.argmax(axis, false).rank());
        }
        Tensor ties = Tensor.of(CPU, t, new double[]{1, 3, 3, 0, 2, 2, 2, 2}, 2, 4);
        assertArrayEquals(new double[]{1, 0}, ties.argmax(1, false).toDoubleArray());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void softmaxAndLogSoftmaxOnEveryAxis(DType t) {
        Tensor x = Reference.random(t, 10, -20.0, 20.0, 3, 17, 1).expand(3, 17, 5).mul(Reference.random(t, 11, 5));
        x = x.add(Reference.random(t, 12, 3, 1, 5).mul(3.0));
        Nd nd = Nd.of(x);
        for (int axis = 0; axis < 3; axis++) {
            double[] sm = new double[nd.numel()], lsm = new double[nd.numel()];
            for (int i = 0; i < nd.numel(); i++) {
                int[] idx = nd.unravel(i);
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < nd.shape()[axis]; j++) { idx[axis] = j; max = Math.max(max, nd.get(idx)); }
                double sum = 0;
                for (int j = 0; j < nd.shape()[axis]; j++) { idx[axis] = j; sum += Math.exp(nd.get(idx) - max); }
                sm[i] = Math.exp(nd.data()[i] - max) / sum;
                lsm[i] = nd.data()[i] - max - Math.log(sum);
            }
            assertClose("softmax axis " + axis + " " + t, sm, x.softmax(axis), tol(t) * 4);
            assertClose("logSoftmax axis " + axis + " " + t, lsm, x.logSoftmax(axis), tol(t) * 4);
            assertShape(x.shape(), x.softmax(axis - 3));
        }
    }

    @Test
    void softmaxIsStableForHugeLogits() {
        double[] p = Tensor.of(CPU, new double[]{1000, 1000, -1000}, 3).softmax(0).toDoubleArray();
        assertArrayEquals(new double[]{0.5, 0.5, 0}, p, 1e-15);
    }
}
