package org.diffusion4j.kernels;

import org.diffusion4j.kernels.runtime.GemmConfig;
import org.diffusion4j.tensor.ConvSpec;
import org.diffusion4j.tensor.DType;
import org.junit.jupiter.api.Test;

import static org.diffusion4j.kernels.Parity.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The three paths of the conv weight gradient (ConvWeightGradientOps) against the CPU backend. */
class ConvWeightGradientTest {

    private record Case(int n, int c, int h, int w, int o, int kh, int kw, ConvSpec spec, ConvWeightGradientOps.Path path) { }

    private static final ConvWeightGradientOps.Path WINOGRAD = ConvWeightGradientOps.Path.WINOGRAD,
            SMALL_O = ConvWeightGradientOps.Path.SMALL_O, GEMM = ConvWeightGradientOps.Path.IMPLICIT_GEMM;

    private static final Case[] CASES = {
            // Winograd: odd and even sizes (partial 2x2 blocks), a 1x1 image, more channels than one tile, a batch long enough to split K
            new Case(2, 9, 7, 6, 11, 3, 3, ConvSpec.of(1, 1), WINOGRAD),
            new Case(3, 8, 1, 1, 17, 3, 3, ConvSpec.of(1, 1), WINOGRAD),
            new Case(1, 33, 5, 3, 8, 3, 3, ConvSpec.of(1, 1), WINOGRAD),
            new Case(17, 12, 9, 9, 64, 3, 3, ConvSpec.of(1, 1), WINOGRAD),
            // few output channels (a UNet's output convolution): 1 and 3 outputs, stride, no padding, dilation, 1x1, a long K
            new Case(3, 17, 9, 7, 1, 3, 3, ConvSpec.of(1, 1), SMALL_O),
            new Case(2, 5, 11, 10, 3, 3, 3, ConvSpec.of(2, 0), SMALL_O),
            new Case(1, 3, 12, 13, 2, 3, 3, new ConvSpec(1, 1, 2, 2, 2, 2, 1), SMALL_O),
            new Case(2, 4, 5, 5, 4, 1, 1, ConvSpec.of(1, 0), SMALL_O),
            new Case(33, 2, 17, 17, 1, 3, 3, ConvSpec.of(1, 1), SMALL_O),
            // the implicit GEMM with tiles fitted to M and N: 64 outputs, one output with 5x5 taps, groups, 3x3 stride 2
            new Case(3, 16, 9, 9, 64, 3, 3, ConvSpec.of(2, 1), GEMM),
            new Case(2, 3, 8, 8, 1, 5, 5, ConvSpec.of(1, 2), GEMM),
            new Case(2, 6, 9, 10, 4, 3, 2, new ConvSpec(2, 1, 2, 0, 2, 1, 2), GEMM),
            new Case(9, 33, 6, 6, 5, 3, 3, ConvSpec.of(1, 1), GEMM),
    };

    @Test void eachCaseTakesTheExpectedPath() {
        for (Case k : CASES) {
            assertEquals(k.path, ConvWeightGradientOps.path(new int[]{k.n, k.c, k.h, k.w}, new int[]{k.o, k.c / k.spec.groups(), k.kh, k.kw}, k.spec),
                    k.toString());
        }
    }

    @Test void everyPathMatchesTheCpu() {
        for (DType t : dtypes()) {
            long seed = 900;
            for (Case k : CASES) {
                Pair[] r = run(t, seed, k);
                seed += 3;
                assertClose("conv2dBackwardWeight " + t + " " + k, r[0], accTol(t));
            }
        }
    }

    @Test void sameInputsSameBits() {
        for (Case k : new Case[]{CASES[3], CASES[8], CASES[9]}) {
            Pair a = run(DType.F32, 5, k)[0], b = run(DType.F32, 5, k)[0];
            assertBitwise("conv2dBackwardWeight twice " + k, a.cl(), b.cl());
        }
    }

    /** Returns {gw}: gw on both backends after one weight gradient of random x and gy. */
    private static Pair[] run(DType t, long seed, Case k) {
        int g = k.spec.groups(), oh = k.spec.outH(k.h, k.kh), ow = k.spec.outW(k.w, k.kw);
        Pair x = random(t, seed, k.n, k.c, k.h, k.w);
        Pair gy = random(t, seed + 1, k.n, k.o, oh, ow);
        Pair gw = poisoned(t, k.o, k.c / g, k.kh, k.kw);
        CPU.conv2dBackwardWeight(x.cpu().view(), gy.cpu().view(), gw.cpu().view(), k.spec);
        cl().conv2dBackwardWeight(x.cl().view(), gy.cl().view(), gw.cl().view(), k.spec);
        return new Pair[]{gw};
    }

    @Test void tilesShrinkToTheMatrixButNotBelowWhatTheCoreAccepts() {
        GemmConfig nvidia = new GemmConfig(16, 16, 8, 8, 8);
        long local = 48 * 1024, items = 1024;
        assertEquals(nvidia, ConvWeightGradientOps.fitted(nvidia, 128, 1152, local, items, DType.F32), "C_out = 128 keeps the 128 x 128 tile");
        assertEquals(new GemmConfig(16, 16, 4, 8, 8), ConvWeightGradientOps.fitted(nvidia, 64, 576, local, items, DType.F32),
                "C_out = 64: a 64-row tile");
        assertEquals(new GemmConfig(16, 16, 4, 4, 8), ConvWeightGradientOps.fitted(nvidia, 64, 64, local, items, DType.F32),
                "64 x 64 (the Winograd products at 64 channels)");
        // one row per item: TK doubles so that the 256 items split the 16 x TK tile of A evenly
        assertEquals(new GemmConfig(16, 16, 1, 8, 16), ConvWeightGradientOps.fitted(nvidia, 1, 576, local, items, DType.F32), "C_out = 1");
    }
}
