package org.diffusion4j.tensor;

import org.diffusion4j.tensor.Reference.Nd;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

import static org.diffusion4j.tensor.Reference.*;
import static org.junit.jupiter.api.Assertions.*;

/** Elementwise ops against plain float64 loops: every unary op, broadcasting, views, where, comparisons. */
class ElementwiseTest {

    /** A non-contiguous [17, 3] operand: the transpose of a [3, 17] tensor. */
    private static Tensor transposed(DType t, long seed, double lo, double hi) {
        return Reference.random(t, seed, lo, hi, 3, 17).transpose(0, 1);
    }

    private static void checkUnary(DType t, String name, java.util.function.Function<Tensor, Tensor> op,
                                   DoubleUnaryOperator ref, double lo, double hi, double tolerance) {
        for (Tensor x : new Tensor[]{Reference.random(t, 11, lo, hi, 33), transposed(t, 12, lo, hi),
                Reference.random(t, 13, lo, hi, 1), Reference.random(t, 14, lo, hi, 2, 9, 2).slice(1, 1, 9, 3)}) {
            double[] in = x.toDoubleArray();
            double[] expected = new double[in.length];
            for (int i = 0; i < in.length; i++) expected[i] = ref.applyAsDouble(in[i]);
            Tensor y = op.apply(x);
            assertShape(x.shape(), y);
            assertEquals(t, y.dtype());
            assertClose(name + " " + t + " " + Shapes.str(x.shape()), expected, y, tolerance);
        }
    }

    static double erfReference(double x) {
        // independent of SpecialFunctions: Simpson's rule on 2/sqrt(pi) exp(-t^2) with 2000 panels
        int n = 2000;
        double h = x / n, s = 1 + Math.exp(-x * x);
        for (int i = 1; i < n; i++) s += (i % 2 == 1 ? 4 : 2) * Math.exp(-(i * h) * (i * h));
        return 2 / Math.sqrt(Math.PI) * s * h / 3;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyUnaryOpMatchesMath(DType t) {
        double tl = tol(t);
        checkUnary(t, "neg", Tensor::neg, v -> -v, -3, 3, tl);
        checkUnary(t, "abs", Tensor::abs, Math::abs, -3, 3, tl);
        checkUnary(t, "square", Tensor::square, v -> v * v, -3, 3, tl);
        checkUnary(t, "sqrt", Tensor::sqrt, Math::sqrt, 0.01, 5, tl);
        checkUnary(t, "rsqrt", Tensor::rsqrt, v -> 1 / Math.sqrt(v), 0.01, 5, tl);
        checkUnary(t, "reciprocal", Tensor::reciprocal, v -> 1 / v, 0.1, 5, tl);
        checkUnary(t, "exp", Tensor::exp, Math::exp, -5, 5, tl);
        checkUnary(t, "log", Tensor::log, Math::log, 0.01, 10, tl);
        checkUnary(t, "sin", Tensor::sin, Math::sin, -7, 7, tl);
        checkUnary(t, "cos", Tensor::cos, Math::cos, -7, 7, tl);
        checkUnary(t, "tanh", Tensor::tanh, Math::tanh, -4, 4, tl);
        checkUnary(t, "sigmoid", Tensor::sigmoid, v -> 1 / (1 + Math.exp(-v)), -30, 30, tl);
        checkUnary(t, "silu", Tensor::silu, v -> v / (1 + Math.exp(-v)), -8, 8, tl);
        checkUnary(t, "gelu", Tensor::gelu, v -> v * 0.5 * (1 + erfReference(v / Math.sqrt(2))), -5, 5, t == DType.F32 ? tl : 1e-11);
        checkUnary(t, "relu", Tensor::relu, v -> Math.max(v, 0), -3, 3, tl);
        checkUnary(t, "sign", Tensor::sign, Math::signum, -3, 3, tl);
        checkUnary(t, "affine", x -> x.affine(2.5, -0.75), v -> 2.5 * v - 0.75, -3, 3, tl);
        checkUnary(t, "add scalar", x -> x.add(1.25), v -> v + 1.25, -3, 3, tl);
        checkUnary(t, "mul scalar", x -> x.mul(-3.0), v -> v * -3.0, -3, 3, tl);
        checkUnary(t, "div scalar", x -> x.div(4.0), v -> v / 4.0, -3, 3, tl);
        checkUnary(t, "pow", x -> x.pow(1.7), v -> Math.pow(v, 1.7), 0.1, 3, tl);
        checkUnary(t, "clamp", x -> x.clamp(-0.5, 0.25), v -> Math.min(Math.max(v, -0.5), 0.25), -1, 1, tl);
    }

    @Test
    void signAndReluOfZeroAndNaN() {
        Tensor x = Tensor.of(CPU, new double[]{0.0, -0.0, Double.NaN, 2, -2}, 5);
        assertArrayEquals(new double[]{0, 0, Double.NaN, 1, -1}, x.sign().toDoubleArray());
        double[] r = x.relu().toDoubleArray();
        assertEquals(0.0, r[0]);
        assertTrue(Double.isNaN(r[2]));
        assertEquals(2.0, r[3]);
        assertEquals(0.0, r[4]);
    }

    @Test
    void sigmoidIsFiniteForHugeArguments() {
        double[] s = Tensor.of(CPU, new double[]{-1000, 1000}, 2).sigmoid().toDoubleArray();
        assertEquals(0.0, s[0]);
        assertEquals(1.0, s[1]);
    }

    private static void checkBinary(DType t, String name, java.util.function.BinaryOperator<Tensor> op, DoubleBinaryOperator ref,
                                    Tensor x, Tensor y) {
        Nd a = Nd.of(x), b = Nd.of(y);
        int[] s = Shapes.broadcast(name, x.shape(), y.shape());
        Tensor z = op.apply(x, y);
        assertShape(s, z);
        Nd e = Nd.zeros(s);
        for (int i = 0; i < e.numel(); i++) {
            int[] idx = e.unravel(i);
            e.data()[i] = round(t, ref.applyAsDouble(a.getBroadcast(idx), b.getBroadcast(idx)));
        }
        assertClose(name + " " + t + " " + Shapes.str(x.shape()) + " with " + Shapes.str(y.shape()), e.data(), z, tol(t));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void binaryOpsBroadcastOverViews(DType t) {
        Tensor[][] pairs = {
                {Reference.random(t, 1, 3, 1, 17), Reference.random(t, 2, 5, 1)},                     // [3,1,17] with [5,1]
                {transposed(t, 3, -1, 1), Reference.random(t, 4, 17, 3)},                              // strided with dense
                {Reference.random(t, 5, 1), Reference.random(t, 6, 2, 3, 33)},                        // scalar-like
                {Reference.random(t, 7, 4, 33).slice(1, 2, 33, 2),                                     // stepped slice [4, 16]
                        Reference.random(t, 8, 16, 5).transpose(0, 1).narrow(0, 2, 1)},                // [1, 16], stride 5, offset 2
        };
        for (Tensor[] p : pairs) {
            Tensor x = p[0], y = p[1];
            checkBinary(t, "add", Tensor::add, Double::sum, x, y);
            checkBinary(t, "sub", Tensor::sub, (u, v) -> u - v, x, y);
            checkBinary(t, "mul", Tensor::mul, (u, v) -> u * v, x, y);
            checkBinary(t, "div", Tensor::div, (u, v) -> u / v, x, y);
            checkBinary(t, "maximum", Tensor::maximum, Math::max, x, y);
            checkBinary(t, "minimum", Tensor::minimum, Math::min, x, y);
            checkBinary(t, "pow", (u, v) -> u.abs().add(0.5).pow(v), (u, v) -> Math.pow(round(t, Math.abs(u) + 0.5), v), x, y);
            checkBinary(t, "eq", Tensor::eq, (u, v) -> u == v ? 1 : 0, x, y);
            checkBinary(t, "ne", Tensor::ne, (u, v) -> u != v ? 1 : 0, x, y);
            checkBinary(t, "lt", Tensor::lt, (u, v) -> u < v ? 1 : 0, x, y);
            checkBinary(t, "le", Tensor::le, (u, v) -> u <= v ? 1 : 0, x, y);
            checkBinary(t, "gt", Tensor::gt, (u, v) -> u > v ? 1 : 0, x, y);
            checkBinary(t, "ge", Tensor::ge, (u, v) -> u >= v ? 1 : 0, x, y);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void comparisonsWithTiesAndScalars(DType t) {
        Tensor x = Tensor.of(CPU, t, new double[]{-1, 0, 0.5, 2, 0.5}, 5);
        Tensor y = Tensor.of(CPU, t, new double[]{0.5}, 1);
        assertArrayEquals(new double[]{0, 0, 1, 0, 1}, x.eq(y).toDoubleArray());
        assertArrayEquals(new double[]{0, 0, 1, 1, 1}, x.ge(0.5).toDoubleArray());
        assertArrayEquals(new double[]{1, 1, 0, 0, 0}, x.lt(0.5).toDoubleArray());
        assertArrayEquals(new double[]{1, 1, 1, 0, 1}, x.le(0.5).toDoubleArray());
        assertArrayEquals(new double[]{0, 0, 0, 1, 0}, x.gt(0.5).toDoubleArray());
        assertArrayEquals(new double[]{0, 0, 1, 0, 1}, x.eq(0.5).toDoubleArray());
        assertArrayEquals(new double[]{0.5, 0.5, 0.5, 2, 0.5}, x.maximum(0.5).toDoubleArray());
        assertArrayEquals(new double[]{-1, 0, 0.5, 0.5, 0.5}, x.minimum(0.5).toDoubleArray());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void whereBroadcastsAllThree(DType t) {
        Tensor cond = Reference.random(t, 21, 3, 1).gt(0.0);             // [3, 1]
        Tensor x = transposed(t, 22, -1, 1).narrow(0, 0, 5);                // [5, 3] strided
        Tensor y = Reference.random(t, 23, 1, 3);                         // [1, 3]
        Tensor z = Tensor.where(cond.reshape(3, 1, 1), x, y);              // [3, 5, 3]
        Nd c = Nd.of(cond.reshape(3, 1, 1)), a = Nd.of(x), b = Nd.of(y);
        Nd e = Nd.zeros(3, 5, 3);
        for (int i = 0; i < e.numel(); i++) {
            int[] idx = e.unravel(i);
            e.data()[i] = c.getBroadcast(idx) != 0 ? a.getBroadcast(idx) : b.getBroadcast(idx);
        }
        assertClose("where", e.data(), z, 0);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void linearCombinationOfTwoAndThree(DType t) {
        Tensor x = Reference.random(t, 31, 17, 3), y = transposed(t, 32, -1, 1), z = Reference.random(t, 33, 3);
        double[] a = x.toDoubleArray(), b = y.toDoubleArray(), c = z.toDoubleArray();
        double[] e2 = new double[51], e3 = new double[51];
        for (int i = 0; i < 51; i++) {
            e2[i] = 0.3 * a[i] - 1.7 * b[i];
            e3[i] = 0.3 * a[i] - 1.7 * b[i] + 2.5 * c[i % 3];
        }
        assertClose("linearCombination(2)", e2, Tensor.linearCombination(0.3, x, -1.7, y, 0, null), tol(t));
        assertClose("linearCombination(3)", e3, Tensor.linearCombination(0.3, x, -1.7, y, 2.5, z), tol(t));
    }

    @Test
    void denseAndStridedPathsGiveTheSameBits() {
        // the same values once dense (vectorised fast paths) and once in a transposed layout (general path)
        Tensor x = Reference.random(DType.F32, 51, -10.0, 10.0, 37, 41), y = Reference.random(DType.F32, 52, 0.5, 3.0, 37, 41);
        Tensor xt = x.transpose(0, 1).contiguous().transpose(0, 1), yt = y.transpose(0, 1).contiguous().transpose(0, 1);
        assertFalse(xt.isContiguous());
        Tensor s = Tensor.scalar(CPU, DType.F32, 1.7);
        java.util.List<java.util.function.BinaryOperator<Tensor>> ops = java.util.List.of(Tensor::add, Tensor::sub, Tensor::mul, Tensor::div,
                (a, b) -> a.div(s), (a, b) -> a.silu(), (a, b) -> a.exp(), (a, b) -> a.sigmoid(),
                (a, b) -> Tensor.linearCombination(0.3, a, -1.1, b, 0, null));
        for (int i = 0; i < ops.size(); i++)
            assertArrayEquals(ops.get(i).apply(x, y).toFloatArray(), ops.get(i).apply(xt, yt).toFloatArray(), "op " + i);
    }

    @Test
    void castRoundsAndWidens() {
        double[] d = randomData(41, 33, -100, 100);
        Tensor x64 = Tensor.of(CPU, d, 3, 11);
        Tensor x32 = x64.transpose(0, 1).cast(DType.F32);
        assertEquals(DType.F32, x32.dtype());
        float[] f = x32.toFloatArray();
        for (int i = 0; i < 11; i++) for (int j = 0; j < 3; j++) assertEquals((float) d[j * 11 + i], f[i * 3 + j]);
        Tensor back = x32.cast(DType.F64);
        double[] b = back.toDoubleArray();
        for (int i = 0; i < b.length; i++) assertEquals((double) f[i], b[i]);
        assertSame(x64, x64.cast(DType.F64));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void factories(DType t) {
        assertArrayEquals(new double[]{0, 1, 2, 3, 4, 5, 6}, Tensor.arange(CPU, t, 7).toDoubleArray());
        double[] l = Tensor.linspace(CPU, t, -1, 2, 17).toDoubleArray();
        for (int i = 0; i < 17; i++) assertEquals(round(t, -1 + 3.0 * i / 16), l[i], 0);
        assertEquals(2.0, l[16]);
        assertArrayEquals(new double[]{-1}, Tensor.linspace(CPU, t, -1, 2, 1).toDoubleArray());
        Tensor f = Tensor.full(CPU, t, 0.1, 3, 1, 5);
        for (double v : f.toDoubleArray()) assertEquals(round(t, 0.1), v);
        assertEquals(0.0, Tensor.zeros(CPU, t, 4).sum().item());
        assertEquals(33.0, Tensor.ones(CPU, t, 3, 11).sum().item());
        assertEquals(2.5, Tensor.scalar(CPU, t, 2.5).item());
        assertThrows(IllegalArgumentException.class, () -> Tensor.linspace(CPU, t, 0, 1, 0));
    }

    @Test
    void fillAndCopyThroughAStridedView() {
        Tensor base = Tensor.zeros(CPU, DType.F64, 4, 6);
        Tensor view = base.slice(1, 1, 6, 2);                  // columns 1, 3, 5
        CPU.fill(view.view(), 7.0);
        double[] b = base.toDoubleArray();
        for (int i = 0; i < 4; i++) for (int j = 0; j < 6; j++) assertEquals(j % 2 == 1 ? 7.0 : 0.0, b[i * 6 + j]);
        Tensor src = Tensor.arange(CPU, DType.F64, 12).reshape(3, 4).transpose(0, 1); // [4, 3]
        CPU.copy(src.view(), view.view());
        b = base.toDoubleArray();
        for (int i = 0; i < 4; i++) for (int j = 0; j < 3; j++) assertEquals(j * 4 + i, b[i * 6 + 2 * j + 1]);
    }

    @Test
    void mismatchedOperandsNameTheOpAndBothShapesOrDtypes() {
        Tensor a = Tensor.zeros(CPU, DType.F32, 2, 3), b = Tensor.zeros(CPU, DType.F32, 4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 3]"), e.getMessage());
        Tensor c = Tensor.zeros(CPU, DType.F64, 2, 3);
        e = assertThrows(IllegalArgumentException.class, () -> a.mul(c));
        assertTrue(e.getMessage().contains("mul") && e.getMessage().contains("F32") && e.getMessage().contains("F64"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
        assertTrue(e.getMessage().contains("matmul") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.where(a, a, b));
        assertTrue(e.getMessage().contains("where") && e.getMessage().contains("[4, 3]"), e.getMessage());
    }
}
