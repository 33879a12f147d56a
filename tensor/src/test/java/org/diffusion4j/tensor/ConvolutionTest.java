package org.diffusion4j.tensor;

import org.diffusion4j.tensor.Reference.Nd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.diffusion4j.tensor.Reference.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * conv2d and its backward primitives against direct loops in double: the forward sum written out, and the
 * gradients written as the same loop scattering gradOut back (d/dx and d/dw of sum(conv(x, w) * g)).
 * The adjoint identity <conv(x, w), g> = <x, convT(g, w)> is checked as well. Pooling and upsampling too.
 */
class ConvolutionTest {

    /** One configuration: input [n, c, h, w], weight [o, c/g, kh, kw], spec. */
    private record Case(int n, int c, int h, int w, int o, int kh, int kw, ConvSpec spec) {
        int[] xShape() { return new int[]{n, c, h, w}; }
        int[] wShape() { return new int[]{o, c / spec.groups(), kh, kw}; }
        int oh() { return spec.outH(h, kh); }
        int ow() { return spec.outW(w, kw); }
    }

    private static final Case[] CASES = {
            new Case(2, 3, 5, 7, 4, 3, 3, ConvSpec.of(1, 1)),
            new Case(1, 1, 1, 1, 1, 1, 1, ConvSpec.of(1, 0)),
            new Case(3, 4, 9, 8, 6, 3, 2, new ConvSpec(2, 1, 1, 0, 1, 1, 2)),     // stride, asymmetric kernel, groups
            new Case(2, 6, 11, 10, 3, 3, 3, new ConvSpec(1, 2, 2, 1, 2, 1, 3)),  // dilation, padding, 3 groups
            new Case(1, 3, 17, 17, 5, 1, 1, ConvSpec.of(1, 0)),                  // 1x1
            new Case(2, 2, 8, 8, 2, 4, 4, ConvSpec.of(2, 1)),                    // strided downsampling
            // large enough for the packed F32 kernel with implicit im2col (see CpuGemm.usesPackedKernel)
            new Case(2, 8, 13, 11, 12, 3, 3, ConvSpec.of(1, 1)),
            new Case(1, 4, 20, 19, 12, 3, 3, new ConvSpec(2, 2, 2, 1, 2, 1, 1)),
            new Case(1, 2, 7, 5, 24, 3, 3, ConvSpec.of(1, 3)),                    // padding wider than the kernel
            new Case(2, 4, 9, 9, 12, 3, 3, new ConvSpec(1, 1, 1, 1, 1, 1, 2)),   // groups on the packed path
    };

    /** Visits every (n, o, oy, ox, ci, i, j) term of the convolution sum that touches a valid input pixel. */
    private interface Term { void visit(int n, int o, int oy, int ox, int ci, int iy, int ix, int cw, int i, int j); }

    private static void forEachTerm(Case k, Term term) {
        ConvSpec s = k.spec;
        int cg = k.c / s.groups(), og = k.o / s.groups();
        for (int n = 0; n < k.n; n++)
            for (int o = 0; o < k.o; o++)
                for (int oy = 0; oy < k.oh(); oy++)
                    for (int ox = 0; ox < k.ow(); ox++)
                        for (int cw = 0; cw < cg; cw++)
                            for (int i = 0; i < k.kh; i++)
                                for (int j = 0; j < k.kw; j++) {
                                    int iy = oy * s.strideH() - s.padH() + i * s.dilationH();
                                    int ix = ox * s.strideW() - s.padW() + j * s.dilationW();
                                    if (iy < 0 || iy >= k.h || ix < 0 || ix >= k.w) continue;
                                    term.visit(n, o, oy, ox, (o / og) * cg + cw, iy, ix, cw, i, j);
                                }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void forwardAndBothGradientsMatchDirectLoops(DType t) {
        long seed = 100;
        for (Case k : CASES) {
            Tensor x = Reference.random(t, seed++, k.xShape()), w = Reference.random(t, seed++, k.wShape());
            Tensor b = Reference.random(t, seed++, k.o);
            Tensor g = Reference.random(t, seed++, k.n, k.o, k.oh(), k.ow());
            Nd xn = Nd.of(x), wn = Nd.of(w), bn = Nd.of(b), gn = Nd.of(g);
            Nd out = Nd.zeros(k.n, k.o, k.oh(), k.ow()), gx = Nd.zeros(k.xShape()), gw = Nd.zeros(k.wShape());
            for (int q = 0; q < out.numel(); q++) out.data()[q] = bn.data()[out.unravel(q)[1]];
            forEachTerm(k, (n, o, oy, ox, ci, iy, ix, cw, i, j) -> {
                int oi = out.index(n, o, oy, ox);
                out.data()[oi] += xn.get(n, ci, iy, ix) * wn.get(o, cw, i, j);
                gx.data()[gx.index(n, ci, iy, ix)] += gn.data()[oi] * wn.get(o, cw, i, j);
                gw.data()[gw.index(o, cw, i, j)] += gn.data()[oi] * xn.get(n, ci, iy, ix);
            });
            String what = k + " " + t;
            int fan = k.c / k.spec.groups() * k.kh * k.kw;
            double tl = accTol(t) * Math.sqrt(fan);
            assertClose("conv2d " + what, out.data(), Tensor.conv2d(x, w, b, k.spec), tl);
            assertClose("conv2dBackwardInput " + what, gx.data(), Tensor.conv2dBackwardInput(g, w, k.xShape(), k.spec), tl);
            assertClose("conv2dBackwardWeight " + what, gw.data(), Tensor.conv2dBackwardWeight(x, g, k.wShape(), k.spec),
                    accTol(t) * Math.sqrt(k.n * k.oh() * k.ow()));
            // without bias
            for (int q = 0; q < out.numel(); q++) out.data()[q] -= bn.data()[out.unravel(q)[1]];
            assertClose("conv2d no bias " + what, out.data(), Tensor.conv2d(x, w, null, k.spec), tl);
        }
    }

    @Test
    void adjointIdentityInF64() {
        for (Case k : CASES) {
            Tensor x = Reference.random(DType.F64, 7, k.xShape()), w = Reference.random(DType.F64, 8, k.wShape());
            Tensor g = Reference.random(DType.F64, 9, k.n, k.o, k.oh(), k.ow());
            double lhs = Tensor.conv2d(x, w, null, k.spec).mul(g).sum().item();
            double rhs1 = x.mul(Tensor.conv2dBackwardInput(g, w, k.xShape(), k.spec)).sum().item();
            double rhs2 = w.mul(Tensor.conv2dBackwardWeight(x, g, k.wShape(), k.spec)).sum().item();
            assertEquals(lhs, rhs1, 1e-12 * (1 + Math.abs(lhs)), "<conv(x), g> = <x, dX> for " + k);
            assertEquals(lhs, rhs2, 1e-12 * (1 + Math.abs(lhs)), "<conv(x), g> = <w, dW> for " + k);
        }
    }

    @Test
    void nonContiguousInputIsCopiedFirst() {
        Tensor x = Reference.random(DType.F64, 11, 5, 4, 3, 2).permute(3, 2, 1, 0); // [2, 3, 4, 5]
        Tensor w = Reference.random(DType.F64, 12, 2, 3, 3, 3);
        assertArrayEquals(Tensor.conv2d(x.contiguous(), w, null, ConvSpec.of(1, 1)).toDoubleArray(),
                Tensor.conv2d(x, w, null, ConvSpec.of(1, 1)).toDoubleArray());
    }

    @Test
    void badConvolutionShapesAreNamed() {
        Tensor x = Tensor.zeros(CPU, DType.F32, 1, 3, 8, 8), w = Tensor.zeros(CPU, DType.F32, 4, 2, 3, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.conv2d(x, w, null, ConvSpec.of(1, 1)));
        assertTrue(e.getMessage().contains("conv2d") && e.getMessage().contains("[4, 2, 3, 3]") && e.getMessage().contains("[1, 3, 8, 8]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConvSpec.of(0, 1));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void avgPoolAndUpsampleWithGradients(DType t) {
        for (int f : new int[]{1, 2, 3}) {
            Tensor x = Reference.random(t, 20 + f, 2, 3, 3 * f * 2, 3 * f);
            Nd xn = Nd.of(x);
            int h = x.shape(2) / f, w = x.shape(3) / f;
            Nd pool = Nd.zeros(2, 3, h, w);
            for (int q = 0; q < xn.numel(); q++) {
                int[] i = xn.unravel(q);
                pool.data()[pool.index(i[0], i[1], i[2] / f, i[3] / f)] += xn.data()[q] / (f * f);
            }
            assertClose("avgPool2d " + f, pool.data(), x.avgPool2d(f), tol(t) * 4);
            // the gradient of the pool spreads g / f^2, the gradient of upsampling sums blocks
            Tensor g = Reference.random(t, 30 + f, 2, 3, h, w);
            Nd gn = Nd.of(g);
            double[] spread = new double[xn.numel()], up = new double[xn.numel()];
            for (int q = 0; q < xn.numel(); q++) {
                int[] i = xn.unravel(q);
                double v = gn.get(i[0], i[1], i[2] / f, i[3] / f);
                spread[q] = v / (f * f);
                up[q] = v;
            }
            assertClose("avgPool2dBackward " + f, spread, Tensor.avgPool2dBackward(g, f), tol(t));
            assertClose("upsampleNearest2d " + f, up, g.upsampleNearest2d(f), 0);
            double[] blockSums = new double[gn.numel()];
            for (int q = 0; q < xn.numel(); q++) {
                int[] i = xn.unravel(q);
                blockSums[gn.index(i[0], i[1], i[2] / f, i[3] / f)] += xn.data()[q];
            }
            assertClose("upsampleNearest2dBackward " + f, blockSums, Tensor.upsampleNearest2dBackward(x, f), tol(t) * 4);
        }
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(CPU, t, 1, 1, 5, 4).avgPool2d(2));
    }
}
