package org.diffusion4j.kernels;

import org.diffusion4j.tensor.ConvSpec;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.diffusion4j.kernels.Parity.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GroupNorm and convolution of concat(x1, x2) along channels without writing the concatenation (the UNet's skip
 * connections): on OpenCL the GroupNorm kernel and a 1x1 convolution read both inputs in one launch; they must match the
 * CPU's reference (which concatenates first) and the same ops on an explicit concatenation on OpenCL (bitwise for the
 * GroupNorm, which sums the same values in the same order). Groups straddle the two inputs.
 */
class ChannelConcatTest {

    @Test void groupNormOfTwoInputs() {
        long seed = 1300;
        for (DType t : dtypes()) {
            for (int[] k : new int[][]{{2, 4, 5, 3, 6, 5}, {1, 8, 8, 4, 7, 7}, {3, 5, 1, 2, 4, 3}}) {   // n, c1, c2, groups, h, w
                int n = k[0], c1 = k[1], c2 = k[2], groups = k[3], h = k[4], w = k[5];
                Pair a = random(t, seed++, n, c1, h, w), b = random(t, seed++, n, c2, h, w);
                Pair gamma = random(t, seed++, 0.5, 1.5, c1 + c2), beta = random(t, seed++, c1 + c2);
                for (boolean silu : new boolean[]{false, true}) {
                    Tensor expected = Tensor.groupNormConcat(a.cpu(), b.cpu(), gamma.cpu(), beta.cpu(), groups, 1e-5, silu);
                    long before = cl().kernelLaunches();
                    Tensor got = Tensor.groupNormConcat(a.cl(), b.cl(), gamma.cl(), beta.cl(), groups, 1e-5, silu);
                    assertEquals(1, cl().kernelLaunches() - before, "one launch, no copies");
                    String what = "groupNormConcat " + t + " " + java.util.Arrays.toString(k) + (silu ? " silu" : "");
                    assertClose(what, expected, got, accTol(t));
                    Tensor joined = Tensor.groupNorm(Tensor.concat(1, a.cl(), b.cl()), gamma.cl(), beta.cl(), groups, 1e-5, silu).out();
                    assertBitwise(what + " against the concatenation", joined, got);
                }
            }
        }
    }

    @Test void convolutionOfTwoInputs() {
        long seed = 1400;
        for (DType t : dtypes()) {
            // n, c1, c2, out, kernel, h, w: 1x1 reads both inputs; 3x3 composes
            for (int[] k : new int[][]{{2, 6, 3, 5, 1, 4, 7}, {1, 128, 64, 64, 1, 7, 7}, {2, 3, 4, 5, 3, 5, 4}}) {
                int n = k[0], c1 = k[1], c2 = k[2], o = k[3], ks = k[4], h = k[5], w = k[6];
                ConvSpec spec = ConvSpec.of(1, ks / 2);
                Pair a = random(t, seed++, n, c1, h, w), b = random(t, seed++, n, c2, h, w);
                Pair wt = random(t, seed++, o, c1 + c2, ks, ks), bias = random(t, seed++, o);
                Tensor expected = Tensor.conv2dConcat(a.cpu(), b.cpu(), wt.cpu(), bias.cpu(), spec);
                long before = cl().kernelLaunches();
                Tensor got = Tensor.conv2dConcat(a.cl(), b.cl(), wt.cl(), bias.cl(), spec);
                long launches = cl().kernelLaunches() - before;
                String what = "conv2dConcat " + t + " " + java.util.Arrays.toString(k);
                assertClose(what, expected, got, accTol(t));
                assertClose(what + " against the concatenation", Tensor.conv2d(Tensor.concat(1, a.cl(), b.cl()), wt.cl(), bias.cl(), spec),
                        got, accTol(t));
                if (ks == 1) assertTrue(launches <= 2, what + ": the GEMM (and its split-K sum) only, got " + launches + " launches");
            }
        }
    }
}
