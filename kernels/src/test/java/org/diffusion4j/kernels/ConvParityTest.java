package org.diffusion4j.kernels;

import org.diffusion4j.tensor.ConvSpec;
import org.diffusion4j.tensor.DType;
import org.junit.jupiter.api.Test;

import static org.diffusion4j.kernels.Parity.*;

/** conv2d and its two backward primitives (implicit GEMM) against the CPU on varied geometry. */
class ConvParityTest {

    private record Case(int n, int c, int h, int w, int o, int kh, int kw, ConvSpec spec, boolean bias) { }

    private static final Case[] CASES = {
            new Case(2, 3, 17, 13, 5, 3, 3, ConvSpec.of(1, 1), true),
            new Case(1, 1, 7, 9, 1, 1, 1, ConvSpec.of(1, 0), false),
            new Case(3, 4, 11, 11, 6, 3, 3, ConvSpec.of(2, 1), true),
            new Case(2, 6, 9, 10, 4, 3, 2, new ConvSpec(2, 1, 2, 0, 2, 1, 2), true),  // groups 2, dilation, asymmetric
            new Case(1, 33, 5, 5, 17, 5, 5, ConvSpec.of(1, 2), false),
            // 3x3, stride 1, padding 1 with >= 8 channels: the forward runs as Winograd F(2x2, 3x3); odd and even
            // spatial sizes (partial 2x2 output blocks), a 1x1 image (only padding around one pixel)
            new Case(2, 9, 7, 6, 11, 3, 3, ConvSpec.of(1, 1), true),
            new Case(3, 33, 1, 1, 8, 3, 3, ConvSpec.of(1, 1), false),
            new Case(1, 17, 12, 13, 33, 3, 3, ConvSpec.of(1, 1), true),
            new Case(2, 128, 6, 5, 64, 3, 3, ConvSpec.of(1, 1), true),  // long channel sums, as in UNet-S
            // nn.Conv1d's geometry (DiffWave): [N, C, 1, L] with a 1x3 kernel, dilation 8 along L, "same" padding
            new Case(2, 5, 1, 37, 10, 1, 3, new ConvSpec(1, 1, 0, 8, 1, 8, 1), true),
    };

    @Test void theWinogradCasesTakeTheWinogradPath() {
        int winograd = 0;
        for (Case k : CASES) {
            if (GemmOps.useWinograd(new int[]{k.n, k.c, k.h, k.w}, new int[]{k.o, k.c / k.spec.groups(), k.kh, k.kw}, k.spec)) winograd++;
        }
        org.junit.jupiter.api.Assertions.assertEquals(4, winograd, "cases covering the Winograd forward");
    }

    @Test void forwardAndBothBackwards() {
        for (DType t : dtypes()) {
            long seed = 300;
            for (Case k : CASES) {
                int g = k.spec.groups();
                int oh = k.spec.outH(k.h, k.kh), ow = k.spec.outW(k.w, k.kw);
                Pair x = random(t, seed++, k.n, k.c, k.h, k.w);
                Pair w = random(t, seed++, k.o, k.c / g, k.kh, k.kw);
                Pair bias = k.bias ? random(t, seed++, k.o) : null;
                Pair y = poisoned(t, k.n, k.o, oh, ow);
                CPU.conv2d(x.cpu().view(), w.cpu().view(), bias == null ? null : bias.cpu().view(), y.cpu().view(), k.spec);
                cl().conv2d(x.cl().view(), w.cl().view(), bias == null ? null : bias.cl().view(), y.cl().view(), k.spec);
                assertClose("conv2d " + t + " " + k, y, accTol(t));

                Pair gy = random(t, seed++, k.n, k.o, oh, ow);
                Pair gx = poisoned(t, k.n, k.c, k.h, k.w);
                CPU.conv2dBackwardInput(gy.cpu().view(), w.cpu().view(), gx.cpu().view(), k.spec);
                cl().conv2dBackwardInput(gy.cl().view(), w.cl().view(), gx.cl().view(), k.spec);
                assertClose("conv2dBackwardInput " + t + " " + k, gx, accTol(t));

                Pair gw = poisoned(t, k.o, k.c / g, k.kh, k.kw);
                CPU.conv2dBackwardWeight(x.cpu().view(), gy.cpu().view(), gw.cpu().view(), k.spec);
                cl().conv2dBackwardWeight(x.cl().view(), gy.cl().view(), gw.cl().view(), k.spec);
                assertClose("conv2dBackwardWeight " + t + " " + k, gw, accTol(t));
            }
        }
    }

    @Test void weightGradientOverALargeBatchUsesTheSplitReduction() {
        DType t = DType.F32;
        ConvSpec s = ConvSpec.of(1, 1);
        Pair x = random(t, 1, 64, 2, 12, 12), gy = random(t, 2, 64, 3, 12, 12);
        Pair gw = poisoned(t, 3, 2, 3, 3);
        CPU.conv2dBackwardWeight(x.cpu().view(), gy.cpu().view(), gw.cpu().view(), s);
        cl().conv2dBackwardWeight(x.cl().view(), gy.cl().view(), gw.cl().view(), s);
        assertClose("conv2dBackwardWeight N=64", gw, accTol(t));
    }

    /** The kernels compiled for one geometry (-DCONV_STATIC, the GPU default) give the same results. */
    @Test void geometrySpecialisedKernels() {
        GemmOps ops = cl().gemmOps();
        Boolean before = ops.specialiseConvolutions;
        ops.specialiseConvolutions = !cl().info().isGpu();   // the path this device does not take by default
        try {
            DType t = DType.F32;
            ConvSpec s = new ConvSpec(2, 1, 1, 2, 1, 2, 1);
            Pair x = random(t, 31, 2, 3, 9, 11), w = random(t, 32, 4, 3, 3, 3), bias = random(t, 33, 4);
            int oh = s.outH(9, 3), ow = s.outW(11, 3);
            Pair y = poisoned(t, 2, 4, oh, ow);
            CPU.conv2d(x.cpu().view(), w.cpu().view(), bias.cpu().view(), y.cpu().view(), s);
            cl().conv2d(x.cl().view(), w.cl().view(), bias.cl().view(), y.cl().view(), s);
            assertClose("conv2d, other specialisation", y, accTol(t));
            Pair gy = random(t, 34, 2, 4, oh, ow), gx = poisoned(t, 2, 3, 9, 11), gw = poisoned(t, 4, 3, 3, 3);
            CPU.conv2dBackwardInput(gy.cpu().view(), w.cpu().view(), gx.cpu().view(), s);
            cl().conv2dBackwardInput(gy.cl().view(), w.cl().view(), gx.cl().view(), s);
            assertClose("conv2dBackwardInput, other specialisation", gx, accTol(t));
            CPU.conv2dBackwardWeight(x.cpu().view(), gy.cpu().view(), gw.cpu().view(), s);
            cl().conv2dBackwardWeight(x.cl().view(), gy.cl().view(), gw.cl().view(), s);
            assertClose("conv2dBackwardWeight, other specialisation", gw, accTol(t));
        } finally {
            ops.specialiseConvolutions = before;
        }
    }
}
