package org.diffusion4j.kernels;

import org.diffusion4j.tensor.BinaryOp;
import org.diffusion4j.tensor.ConvSpec;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.diffusion4j.tensor.View;
import org.junit.jupiter.api.Test;

import static org.diffusion4j.kernels.Parity.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Backend#conv2dAdd on OpenCL: on the Winograd path the per-sample bias and the residual are added in the output
 * transform, bitwise equal to the convolution followed by the two additions on the same device, close to the CPU,
 * and without the two extra launches; other geometries compose.
 */
class Conv2dAddTest {

    private record Case(int n, int c, int h, int w, int o, ConvSpec spec, boolean bias, boolean sampleBias, boolean residual) { }

    private static final Case[] CASES = {
            new Case(2, 9, 7, 6, 11, ConvSpec.of(1, 1), true, true, true),     // Winograd, odd width
            new Case(3, 16, 5, 5, 8, ConvSpec.of(1, 1), false, true, false),   // Winograd, per-sample bias only
            new Case(1, 8, 4, 3, 16, ConvSpec.of(1, 1), true, false, true),    // Winograd, residual only
            new Case(2, 4, 6, 6, 5, ConvSpec.of(1, 1), true, true, true),      // too few channels: composed
            new Case(2, 8, 7, 7, 8, ConvSpec.of(2, 1), true, true, true),      // stride 2: composed
    };

    /** The unfused reference on one backend: conv2d, then the broadcast add, then the residual add, in place. */
    private static Tensor composed(org.diffusion4j.tensor.Backend be, Tensor x, Tensor w, Tensor bias, Tensor sb, Tensor r, ConvSpec s, Tensor out) {
        int[] shape = out.shape();
        be.conv2d(x.view(), w.view(), bias == null ? null : bias.view(), out.view(), s);
        if (sb != null) {
            View wide = new View(sb.storage(), shape, new int[]{sb.strides()[0], sb.strides()[1], 0, 0}, sb.offset());
            be.binary(BinaryOp.ADD, out.view(), wide, out.view());
        }
        if (r != null) be.binary(BinaryOp.ADD, out.view(), r.view(), out.view());
        return out;
    }

    @Test void fusedEqualsComposedBitwiseAndTheCpu() {
        long seed = 500;
        for (DType t : dtypes()) {
            for (Case k : CASES) {
                int oh = k.spec.outH(k.h, 3), ow = k.spec.outW(k.w, 3);
                int[] shape = {k.n, k.o, oh, ow};
                Pair x = random(t, seed++, k.n, k.c, k.h, k.w), w = random(t, seed++, k.o, k.c, 3, 3);
                Pair bias = k.bias ? random(t, seed++, k.o) : null;
                // the per-sample bias as a transposed (non-contiguous) view, as a [N, O] slice of something else would be
                Pair sb = k.sampleBias ? random(t, seed++, k.o, k.n).map(v -> v.permute(1, 0)) : null;
                Pair r = k.residual ? random(t, seed++, shape) : null;
                Pair out = poisoned(t, shape);
                CPU.conv2dAdd(x.cpu().view(), w.cpu().view(), bias == null ? null : bias.cpu().view(), sb == null ? null : sb.cpu().view(),
                        r == null ? null : r.cpu().view(), out.cpu().view(), k.spec);
                cl().conv2d(x.cl().view(), w.cl().view(), null, poisoned(t, shape).cl().view(), k.spec);  // caches the filters
                long before = cl().kernelLaunches();
                cl().conv2dAdd(x.cl().view(), w.cl().view(), bias == null ? null : bias.cl().view(), sb == null ? null : sb.cl().view(),
                        r == null ? null : r.cl().view(), out.cl().view(), k.spec);
                long fusedLaunches = cl().kernelLaunches() - before;
                assertClose("conv2dAdd " + t + " " + k, out, accTol(t));

                Tensor reference = poisoned(t, shape).cl();
                before = cl().kernelLaunches();
                composed(cl(), x.cl(), w.cl(), bias == null ? null : bias.cl(), sb == null ? null : sb.cl(), r == null ? null : r.cl(), k.spec, reference);
                long composedLaunches = cl().kernelLaunches() - before;
                assertBitwise("conv2dAdd " + t + " " + k + " against conv2d + adds", reference, out.cl());
                boolean winograd = GemmOps.useWinograd(x.cl().shape(), w.cl().shape(), k.spec);
                int adds = (k.sampleBias ? 1 : 0) + (k.residual ? 1 : 0);
                assertEquals(composedLaunches - (winograd ? adds : 0), fusedLaunches, "launches of " + k);
            }
        }
    }
}
