package org.diffusion4j.benchmarks;

import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.diffusion4j.benchmarks.CpuConvBenchmark.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The convolution benchmark times what its javadoc says: checked at random output positions against a
 * float64 loop (the full reference would cost 1.85e9 flops, too slow for a unit test).
 */
class CpuConvBenchmarkTest {

    @Test
    void forwardIsA3x3ConvolutionWithPadding1OfTheStatedShapes() {
        CpuConvBenchmark bench = new CpuConvBenchmark();
        bench.setUp();
        assertArrayEquals(new int[] {N, C_IN, H, W}, bench.x.shape());
        assertArrayEquals(new int[] {C_OUT, C_IN, K, K}, bench.weight.shape());

        float[] x = bench.x.toFloatArray();
        float[] w = bench.weight.toFloatArray();
        float[] bias = bench.bias.toFloatArray();
        Tensor out = Tensor.conv2d(bench.x, bench.weight, bench.bias, SPEC);
        assertArrayEquals(new int[] {N, C_OUT, H, W}, out.shape());
        float[] y = out.toFloatArray();

        SplittableRandom random = new SplittableRandom(7);
        for (int sample = 0; sample < 200; sample++) {
            // Include the borders, where padding matters, as often as the interior.
            int n = random.nextInt(N), o = random.nextInt(C_OUT);
            int i = sample % 2 == 0 ? random.nextInt(H) : (sample % 4 == 1 ? 0 : H - 1);
            int j = random.nextInt(W);
            double expected = bias[o];
            for (int c = 0; c < C_IN; c++) {
                for (int di = 0; di < K; di++) {
                    for (int dj = 0; dj < K; dj++) {
                        int row = i + di - 1, col = j + dj - 1;   // padding 1: out-of-range reads are zero
                        if (row < 0 || row >= H || col < 0 || col >= W) continue;
                        expected += (double) x[((n * C_IN + c) * H + row) * W + col] * w[((o * C_IN + c) * K + di) * K + dj];
                    }
                }
            }
            double actual = y[((n * C_OUT + o) * H + i) * W + j];
            // 577 terms of size <= 1 summed in F32: error well under 577 * 2^-20.
            assertEquals(expected, actual, C_IN * K * K * 0x1p-20, "y[" + n + "," + o + "," + i + "," + j + "]");
        }
    }
}
