package org.diffusion4j.autograd;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.ConvSpec;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Central-difference gradient checks (F64) of every differentiable op, with random inputs, odd extents,
 * broadcast operands and non-contiguous views. Subclasses choose the backend.
 */
abstract class GradCheckSuite {
    abstract Backend backend();

    Inputs in() { return new Inputs(backend(), DType.F64); }

    private Tensor n(long seed, int... shape) { return in().randn(seed, shape); }

    private Tensor pos(long seed, int... shape) { return in().uniform(seed, 0.5, 2.0, shape); }

    private static void check(java.util.function.Function<Variable[], Variable> f, Tensor... x) {
        double err = GradCheck.check(f, x);
        assertTrue(err <= GradCheck.DEFAULT_TOLERANCE);
    }

    @Test void addSubMulDivBroadcast() {
        Tensor a = n(1, 3, 1, 5), b = n(2, 4, 5), c = pos(3, 1, 4, 1);
        check(v -> v[0].add(v[1]), a, b);
        check(v -> v[0].sub(v[1]), b, a);
        check(v -> v[0].mul(v[1]), a, b);
        check(v -> v[0].div(v[2]), a, b, c);
        check(v -> v[1].div(v[0]), c, b);
        check(v -> v[0].mul(v[0]).add(v[0]), a);
    }

    @Test void scalarArithmetic() {
        Tensor a = n(4, 3, 17);
        check(v -> v[0].add(2.5).sub(0.25).mul(-1.5).div(3.0).neg().affine(0.7, 0.1), a);
    }

    @Test void linearCombination() {
        Tensor x = n(5, 2, 3), y = n(6, 3), z = n(7, 2, 1);
        check(v -> Variable.linearCombination(0.5, v[0], -2.0, v[1], 1.25, v[2]), x, y, z);
        check(v -> Variable.linearCombination(0.5, v[0], -2.0, v[1], 0, null), x, y);
    }

    @Test void smoothUnaryFunctions() {
        Tensor x = n(8, 3, 5), p = pos(9, 17);
        check(v -> v[0].exp(), x);
        check(v -> v[0].log(), p);
        check(v -> v[0].sqrt(), p);
        check(v -> v[0].rsqrt(), p);
        check(v -> v[0].square(), x);
        check(v -> v[0].pow(2.5), p);
        check(v -> v[0].pow(-1.5), p);
        check(v -> v[0].sin(), x);
        check(v -> v[0].cos(), x);
        check(v -> v[0].tanh(), x);
        check(v -> v[0].sigmoid(), x);
        check(v -> v[0].silu(), x);
        check(v -> v[0].gelu(), x);
    }

    @Test void geluAtZeroAndFarTails() {
        Tensor x = in().of(new double[]{0.0, -7.0, 7.0, 1e-3, -1e-3, 2.0}, 6);
        check(v -> v[0].gelu(), x);
    }

    @Test void kinkedFunctionsAwayFromTheirKinks() {
        Tensor x = in().awayFromZero(10, 0.05, 4, 3);
        check(v -> v[0].abs(), x);
        check(v -> v[0].relu(), x);
        // clamp at +-0.6: inputs have |x| in [0.05, 1.05); keep them off the bounds by a margin
        Tensor c = in().of(new double[]{-1.0, -0.3, 0.1, 0.45, 0.9, -0.8, 0.2}, 7);
        check(v -> v[0].clamp(-0.6, 0.6), c);
    }

    @Test void where() {
        Tensor cond = in().of(new double[]{1, 0, 1, 0, 0}, 5);
        Tensor x = n(11, 3, 5), y = n(12, 1, 5);
        check(v -> Variable.where(cond, v[0], v[1]), x, y);
    }

    @Test void reductions() {
        Tensor x = n(13, 3, 4, 5);
        check(v -> v[0].sum(), x);
        check(v -> v[0].sum(false, 1), x);
        check(v -> v[0].sum(true, 0, 2), x);
        check(v -> v[0].mean(), x);
        check(v -> v[0].mean(false, -1), x);
        check(v -> v[0].mean(true, 0, 1), x);
        check(v -> v[0].var(0, false, 1), x);
        check(v -> v[0].var(1, true, 0, 2), x);
        check(v -> v[0].var(1, false), x);
    }

    @Test void softmaxAndLogSoftmaxOnEveryAxis() {
        Tensor x = n(14, 3, 4, 5);
        for (int axis = 0; axis < 3; axis++) {
            int a = axis;
            check(v -> v[0].softmax(a), x);
            check(v -> v[0].logSoftmax(a), x);
        }
    }

    @Test void matmulShapes() {
        check(v -> v[0].matmul(v[1]), n(15, 3, 17), n(16, 17, 1));
        check(v -> v[0].matmul(v[1]), n(17, 2, 1, 3, 4), n(18, 5, 4, 3));
        check(v -> v[0].matmul(v[1]), n(19, 4), n(20, 4, 3));
        check(v -> v[0].matmul(v[1]), n(21, 2, 3, 4), n(22, 4));
        check(v -> v[0].matmul(v[1]), n(23, 5), n(24, 5));
        // transposed (non-contiguous) operand
        check(v -> v[0].transpose(0, 1).matmul(v[1]), n(25, 4, 3), n(26, 4, 2));
    }

    @Test void views() {
        Tensor x = n(27, 2, 3, 4);
        check(v -> v[0].reshape(4, -1).mul(v[0].flatten().reshape(4, 6)), x);
        check(v -> v[0].permute(2, 0, 1).mul(n(28, 4, 2, 3).mul(1.0)), x);
        check(v -> v[0].transpose(0, 2).exp(), x);
        check(v -> v[0].narrow(2, 1, 2).square(), x);
        check(v -> v[0].narrow(0, 0, 1).sin(), x);
        check(v -> v[0].select(1, 2).sin(), x);
        check(v -> v[0].unsqueeze(1).expand(2, 5, 3, 4).square(), x);
        check(v -> v[0].squeeze().unsqueeze(0).cos(), n(29, 3, 1, 4));
        check(v -> v[0].squeeze(1).sin(), n(30, 3, 1, 4));
        check(v -> v[0].expand(3, 4).mul(v[1]), n(31, 1, 4), n(32, 3, 4));
    }

    @Test void concatAndIndexSelect() {
        Tensor a = n(33, 2, 3), b = n(34, 2, 1), c = n(35, 2, 4);
        check(v -> Variable.concat(1, v[0], v[1], v[2]).square(), a, b, c);
        check(v -> Variable.concat(0, v[0], v[0].neg()).exp(), a);
        check(v -> Variable.indexSelect(v[0], 1, new int[]{2, 0, 2, 1}).square(), n(36, 3, 3, 2));
    }

    @Test void conv2d() {
        Tensor x = n(37, 2, 3, 7, 6), w = n(38, 4, 3, 3, 3), b = n(39, 4);
        check(v -> Variable.conv2d(v[0], v[1], v[2], ConvSpec.of(1, 1)), x, w, b);
        check(v -> Variable.conv2d(v[0], v[1], v[2], ConvSpec.of(2, 1)), x, w, b);
        check(v -> Variable.conv2d(v[0], v[1], null, ConvSpec.of(1, 0)), x, w);
        Tensor wg = n(40, 4, 2, 3, 3), x4 = n(41, 1, 4, 6, 5);
        check(v -> Variable.conv2d(v[0], v[1], v[2], ConvSpec.of(1, 2, 2, 2)), x4, wg, b);
        // non-contiguous input
        check(v -> Variable.conv2d(v[0].permute(0, 1, 3, 2), v[1], v[2], ConvSpec.of(1, 1)), x, w, b);
    }

    /** conv2d with the fused per-sample bias and residual additions; 8 channels and 3x3: OpenCL's Winograd path. */
    @Test void conv2dAdd() {
        Tensor x = n(140, 2, 8, 3, 4), w = n(141, 8, 8, 3, 3), b = n(142, 8), sb = n(143, 8, 2), r = n(144, 2, 8, 3, 4);
        check(v -> Variable.conv2dAdd(v[0], v[1], v[2], v[3].permute(1, 0), v[4], ConvSpec.of(1, 1)), x, w, b, sb, r);
        check(v -> Variable.conv2dAdd(v[0], v[1], null, null, v[2], ConvSpec.of(1, 1)), x, w, r);
        // a geometry without Winograd (stride 2): the composed path
        check(v -> Variable.conv2dAdd(v[0], v[1], v[2], v[3].permute(1, 0), null, ConvSpec.of(2, 1)), x, w, b, sb);
    }

    /** Linear with the bias (and SiLU) in the GEMM's epilogue: inputs of rank 1, 2 and 3. */
    @Test void linear() {
        Tensor w = n(150, 4, 5), b = n(151, 4);
        check(v -> Variable.linear(v[0], v[1], v[2], false), n(152, 3, 5), w, b);
        check(v -> Variable.linear(v[0], v[1], v[2], true), n(153, 2, 3, 5), w, b);
        check(v -> Variable.linear(v[0], v[1], v[2], true), n(154, 5), w, b);
    }

    @Test void groupNorm() {
        Tensor x = n(42, 2, 6, 3, 5), g = n(43, 6), b = n(44, 6);
        check(v -> Variable.groupNorm(v[0], v[1], v[2], 3, 1e-5), x, g, b);
        check(v -> Variable.groupNorm(v[0], null, null, 2, 1e-5), x);
        check(v -> Variable.groupNormSilu(v[0], v[1], v[2], 6, 1e-5), x, g, b);
        check(v -> Variable.groupNorm(v[0], v[1], v[2], 1, 1e-3), n(45, 3, 3, 1, 1), n(46, 3), n(47, 3));
    }

    @Test void attention() {
        Tensor q = n(48, 2, 3, 4), k = n(49, 2, 5, 4), v = n(50, 2, 5, 3);
        check(x -> Variable.attention(x[0], x[1], x[2], null, 0.5), q, k, v);
        Tensor mask = in().uniform(51, -2, 0, 1, 3, 5);
        check(x -> Variable.attention(x[0], x[1], x[2], mask, 1 / Math.sqrt(4)), q, k, v);
    }

    @Test void poolingAndUpsampling() {
        check(v -> Variable.avgPool2d(v[0], 2), n(52, 2, 3, 4, 6));
        check(v -> Variable.avgPool2d(v[0], 3), n(53, 1, 1, 3, 3));
        check(v -> Variable.upsampleNearest2d(v[0], 2), n(54, 2, 3, 3, 1));
        check(v -> Variable.upsampleNearest2d(v[0], 3).square(), n(55, 1, 2, 2, 3));
    }

    @Test void compositeChainWithReuse() {
        // a small network in which x is used along several paths (the gradients must add up)
        Tensor x = n(56, 3, 4), w = n(57, 4, 5), b = n(58, 5);
        check(v -> {
            Variable h = v[0].matmul(v[1]).add(v[2]).tanh();
            return h.mul(v[0].sum(true, 1)).softmax(1).log().mean(false, 0);
        }, x, w, b);
    }
}
