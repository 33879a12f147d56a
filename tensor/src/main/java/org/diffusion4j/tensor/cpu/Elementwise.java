package org.diffusion4j.tensor.cpu;

import org.diffusion4j.tensor.BinaryOp;
import org.diffusion4j.tensor.UnaryOp;
import org.diffusion4j.tensor.View;
import jdk.incubator.vector.VectorOperators;

/**
 * Elementwise maps over strided operands. The general path works in blocks: gather each input block into
 * a dense {@code double[]}, apply the op there (one tight loop per op), scatter the block into the output,
 * rounding to its dtype. F32 values are therefore computed in double and rounded once, which for
 * +, -, *, / and sqrt gives exactly the correctly rounded float result.
 *
 * <p>The per-block loops of the arithmetic ops, exp, sigmoid and SiLU run on the dense buffers with the
 * Vector API ({@link VectorMath}); dense F32 +, -, *, / skip the buffers ({@link DenseFloatArithmetic}).
 * Blocks are independent, so they run in parallel without changing any result. An output may alias an
 * input element for element (in-place accumulation), because each block is read before it is written.
 */
final class Elementwise {
    /** Elements per block: large enough to amortise the walk, small enough to stay in L1. */
    static final int BLOCK = 1024;

    private Elementwise() { }

    /** The computation on one block: inputs in[i][0, n), result into out[0, n). */
    @FunctionalInterface
    interface BlockKernel {
        void apply(double[][] in, double[] out, int n);
    }

    /** out = kernel(inputs), inputs already of out's shape. costPerElement is a rough flop count for the split. */
    static void map(String op, View out, View[] inputs, int costPerElement, BlockKernel kernel) {
        View[] all = new View[inputs.length + 1];
        all[0] = out;
        System.arraycopy(inputs, 0, all, 1, inputs.length);
        StridedLayout layout = StridedLayout.of(op, all);
        CpuStorage outStorage = CpuStorage.of(out);
        CpuStorage[] in = new CpuStorage[inputs.length];
        for (int i = 0; i < in.length; i++) in[i] = CpuStorage.of(inputs[i]);
        int n = layout.numel;
        int blocks = (n + BLOCK - 1) / BLOCK;
        Parallel.forRange(blocks, (long) BLOCK * costPerElement, (b0, b1) -> {
            double[][] buf = new double[in.length][BLOCK];
            double[] res = new double[BLOCK];
            for (int b = b0; b < b1; b++) {
                int start = b * BLOCK, len = Math.min(BLOCK, n - start);
                for (int i = 0; i < in.length; i++) layout.gather(i + 1, in[i], start, len, buf[i]);
                kernel.apply(buf, res, len);
                layout.scatter(0, outStorage, start, len, res);
            }
        });
    }

    static void fill(View out, double value) {
        map("fill", out, new View[0], 1, (in, res, n) -> java.util.Arrays.fill(res, 0, n, value));
    }

    static void copy(View src, View out) {
        map("copy", out, new View[]{src}, 1, (in, res, n) -> System.arraycopy(in[0], 0, res, 0, n));
    }

    static void where(View cond, View x, View y, View out) {
        map("where", out, new View[]{cond, x, y}, 1, (in, res, n) -> {
            double[] c = in[0], a = in[1], b = in[2];
            for (int j = 0; j < n; j++) res[j] = c[j] != 0 ? a[j] : b[j];
        });
    }

    static void linearCombination(double alpha, View x, double beta, View y, double gamma, View z, View out) {
        if (z == null) {
            map("linearCombination", out, new View[]{x, y}, 3, (in, res, n) -> {
                VectorMath.combine(alpha, in[0], beta, in[1], res, n);
            });
        } else {
            map("linearCombination", out, new View[]{x, y, z}, 5, (in, res, n) -> {
                VectorMath.combine(alpha, in[0], beta, in[1], gamma, in[2], res, n);
            });
        }
    }

    static void binary(BinaryOp op, View x, View y, View out) {
        if (DenseFloatArithmetic.tryBinary(op, x, y, out)) return;
        map(op.name().toLowerCase(), out, new View[]{x, y}, op == BinaryOp.POW ? 20 : 1,
                (in, res, n) -> applyBinary(op, in[0], in[1], res, n));
    }

    static void unary(UnaryOp op, View x, View out, double a, double b) {
        map(op.name().toLowerCase(), out, new View[]{x}, unaryCost(op),
                (in, res, n) -> applyUnary(op, in[0], res, n, a, b));
    }

    private static int unaryCost(UnaryOp op) {
        return switch (op) {
            case COPY, NEG, ABS, SQUARE, AFFINE, CLAMP, SIGN, RELU, RECIPROCAL -> 1;
            case GELU -> 100;
            default -> 20;
        };
    }

    static void applyBinary(BinaryOp op, double[] x, double[] y, double[] r, int n) {
        switch (op) {
            case ADD -> VectorMath.arithmetic(VectorOperators.ADD, x, y, r, n);
            case SUB -> VectorMath.arithmetic(VectorOperators.SUB, x, y, r, n);
            case MUL -> VectorMath.arithmetic(VectorOperators.MUL, x, y, r, n);
            case DIV -> VectorMath.arithmetic(VectorOperators.DIV, x, y, r, n);
            case POW -> { for (int j = 0; j < n; j++) r[j] = Math.pow(x[j], y[j]); }
            case MAX -> { for (int j = 0; j < n; j++) r[j] = Math.max(x[j], y[j]); }
            case MIN -> { for (int j = 0; j < n; j++) r[j] = Math.min(x[j], y[j]); }
            case EQ -> { for (int j = 0; j < n; j++) r[j] = x[j] == y[j] ? 1 : 0; }
            case NE -> { for (int j = 0; j < n; j++) r[j] = x[j] != y[j] ? 1 : 0; }
            case LT -> { for (int j = 0; j < n; j++) r[j] = x[j] < y[j] ? 1 : 0; }
            case LE -> { for (int j = 0; j < n; j++) r[j] = x[j] <= y[j] ? 1 : 0; }
            case GT -> { for (int j = 0; j < n; j++) r[j] = x[j] > y[j] ? 1 : 0; }
            case GE -> { for (int j = 0; j < n; j++) r[j] = x[j] >= y[j] ? 1 : 0; }
        }
    }

    static void applyUnary(UnaryOp op, double[] x, double[] r, int n, double a, double b) {
        switch (op) {
            case COPY -> System.arraycopy(x, 0, r, 0, n);
            case NEG -> { for (int j = 0; j < n; j++) r[j] = -x[j]; }
            case ABS -> { for (int j = 0; j < n; j++) r[j] = Math.abs(x[j]); }
            case SQUARE -> { for (int j = 0; j < n; j++) r[j] = x[j] * x[j]; }
            case SQRT -> { for (int j = 0; j < n; j++) r[j] = Math.sqrt(x[j]); }
            case RSQRT -> { for (int j = 0; j < n; j++) r[j] = 1.0 / Math.sqrt(x[j]); }
            case RECIPROCAL -> { for (int j = 0; j < n; j++) r[j] = 1.0 / x[j]; }
            case EXP -> VectorMath.exp(x, r, n);
            case LOG -> { for (int j = 0; j < n; j++) r[j] = Math.log(x[j]); }
            case SIN -> { for (int j = 0; j < n; j++) r[j] = Math.sin(x[j]); }
            case COS -> { for (int j = 0; j < n; j++) r[j] = Math.cos(x[j]); }
            case TANH -> { for (int j = 0; j < n; j++) r[j] = Math.tanh(x[j]); }
            case SIGMOID -> VectorMath.sigmoid(x, r, n);
            case SILU -> VectorMath.silu(x, r, n);
            // exact GELU: x * Phi(x) = x * (1 + erf(x / sqrt 2)) / 2
            case GELU -> { for (int j = 0; j < n; j++) r[j] = x[j] * SpecialFunctions.normalCdf(x[j]); }
            case RELU -> { for (int j = 0; j < n; j++) r[j] = x[j] > 0 ? x[j] : (x[j] == x[j] ? 0.0 : x[j]); }
            case AFFINE -> VectorMath.affine(x, r, n, a, b);
            case POW -> { for (int j = 0; j < n; j++) r[j] = Math.pow(x[j], a); }
            case CLAMP -> { for (int j = 0; j < n; j++) r[j] = Math.min(Math.max(x[j], a), b); }
            case SIGN -> { for (int j = 0; j < n; j++) r[j] = x[j] > 0 ? 1.0 : x[j] < 0 ? -1.0 : x[j] == x[j] ? 0.0 : x[j]; }
        }
    }

}
