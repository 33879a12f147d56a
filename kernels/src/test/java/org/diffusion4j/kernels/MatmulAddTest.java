package org.diffusion4j.kernels;

import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.diffusion4j.kernels.Parity.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Backend#matmulAdd on OpenCL (gemm_matmul_add.cl): the bias, the residual and the SiLU in the GEMM's epilogue (or in
 * the split-K sum), bitwise equal to matmul followed by add, add, silu on the same device, close to the CPU's
 * composition, and with only the GEMM's launches.
 */
class MatmulAddTest {

    /** a [.., m, k] @ b [.., k, n]; bias and residual shapes broadcast to the product; views made by the functions. */
    private record Case(String name, int[] a, int[] b, int[] bias, int[] residual, boolean silu,
                        UnaryOperator<Tensor> aView, UnaryOperator<Tensor> bView) { }

    private static final UnaryOperator<Tensor> SAME = t -> t;

    private static final Case[] CASES = {
            // Linear at batch 1: M = 1, K = 256 (split-K on a device with few compute units), bias [N], SiLU
            new Case("linear batch 1", new int[]{1, 256}, new int[]{256, 33}, new int[]{33}, null, true, SAME, SAME),
            // Linear on [N, L, in] with a transposed weight view (x W^T), no activation
            new Case("linear rank 3", new int[]{3, 5, 17}, new int[]{9, 17}, new int[]{9}, null, false, SAME, t -> t.transpose(0, 1)),
            // a per-row bias [M, 1] and a residual, a transposed input (the attention's output projection)
            new Case("row bias + residual", new int[]{2, 6, 7}, new int[]{2, 6, 11}, new int[]{7, 1}, new int[]{2, 7, 11}, false,
                    t -> t.transpose(1, 2), SAME),
            // batch axes that do not fold into one (the host loops over the outer one), everything on
            new Case("unfolded batches", new int[]{2, 4, 6}, new int[]{3, 1, 6, 5}, new int[]{3, 1, 1, 5}, new int[]{3, 2, 4, 5}, true,
                    SAME, SAME),
            // residual only, odd sizes
            new Case("residual only", new int[]{33, 20}, new int[]{20, 40}, null, new int[]{33, 40}, true, SAME, SAME),
    };

    @Test void fusedEqualsComposedBitwiseAndTheCpu() {
        long seed = 900;
        for (DType t : dtypes()) {
            for (Case k : CASES) {
                Pair a = random(t, seed++, k.a).map(k.aView), b = random(t, seed++, k.b).map(k.bView);
                Pair bias = k.bias == null ? null : random(t, seed++, k.bias), r = k.residual == null ? null : random(t, seed++, k.residual);
                Tensor expected = a.cpu().matmulAdd(b.cpu(), bias == null ? null : bias.cpu(), r == null ? null : r.cpu(), k.silu);

                long before = cl().kernelLaunches();
                Tensor fused = a.cl().matmulAdd(b.cl(), bias == null ? null : bias.cl(), r == null ? null : r.cl(), k.silu);
                long fusedLaunches = cl().kernelLaunches() - before;
                assertClose("matmulAdd " + t + " " + k.name, expected, fused, accTol(t));

                before = cl().kernelLaunches();
                Tensor composed = a.cl().matmul(b.cl());
                long matmulLaunches = cl().kernelLaunches() - before;
                if (bias != null) composed = composed.add(bias.cl());
                if (r != null) composed = composed.add(r.cl());
                if (k.silu) composed = composed.silu();
                assertBitwise("matmulAdd " + t + " " + k.name + " against matmul + adds + silu", composed, fused);
                assertEquals(matmulLaunches, fusedLaunches, "launches of " + k.name + ": the GEMM's only");
            }
        }
    }

    @Test void linearMatchesAFloat64Loop() {
        int m = 3, in = 7, out = 5;
        double[] x = data(1, m * in, -1, 1), w = data(2, out * in, -1, 1), bias = data(3, out, -1, 1);
        Tensor y = Tensor.linear(Tensor.of(cl(), DType.F32, x, m, in), Tensor.of(cl(), DType.F32, w, out, in),
                Tensor.of(cl(), DType.F32, bias, out), true);
        double[] got = y.toDoubleArray();
        for (int i = 0; i < m; i++) {
            for (int o = 0; o < out; o++) {
                double z = bias[o];
                for (int c = 0; c < in; c++) z += x[i * in + c] * w[o * in + c];
                double silu = z / (1 + Math.exp(-z));
                assertEquals(silu, got[i * out + o], 1e-5 * (1 + Math.abs(silu)), "linear[" + i + ", " + o + "]");
            }
        }
    }
}
