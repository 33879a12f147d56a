package org.diffusion4j.tensor.cpu;

import org.diffusion4j.tensor.ConvSpec;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.View;

/**
 * 2D convolution and its two backward primitives by im2col + GEMM, per sample and group:
 * the sample's receptive fields are unfolded into a matrix col [Cg*kh*kw, oh*ow], and then
 * <ul>
 *   <li>forward: out[n, g] = W_g [Og, Cg*kh*kw] col, plus bias;</li>
 *   <li>input gradient: col = W_g^T gradOut[n, g], folded back (col2im, summing overlaps in a fixed order);</li>
 *   <li>weight gradient: gradW_g = sum over n (in order) of gradOut[n, g] col^T.</li>
 * </ul>
 * Operands are contiguous NCHW. Samples run in parallel for the forward and input-gradient passes; the
 * weight gradient accumulates samples in order and parallelises inside each product.
 */
final class CpuConv {
    private CpuConv() { }

    /** The sizes of one convolution, checked once. */
    private record Geometry(int n, int c, int h, int w, int o, int kh, int kw, int oh, int ow, int groups, ConvSpec spec) {
        int cg() { return c / groups; }
        int og() { return o / groups; }
        int k() { return cg() * kh * kw; }
        int positions() { return oh * ow; }

        static Geometry of(String op, int[] x, int[] w, int[] out, ConvSpec spec) {
            if (x.length != 4 || w.length != 4 || out.length != 4) throw new IllegalArgumentException("cpu " + op
                    + ": expected rank-4 input, weight and output, got " + Shapes.str(x) + ", " + Shapes.str(w) + ", " + Shapes.str(out));
            int g = spec.groups();
            Geometry geo = new Geometry(x[0], x[1], x[2], x[3], w[0], w[2], w[3], spec.outH(x[2], w[2]), spec.outW(x[3], w[3]), g, spec);
            if (x[1] % g != 0 || w[0] % g != 0 || w[1] != x[1] / g || out[0] != x[0] || out[1] != w[0]
                    || out[2] != geo.oh || out[3] != geo.ow) throw new IllegalArgumentException("cpu " + op + ": input "
                    + Shapes.str(x) + ", weight " + Shapes.str(w) + " and output " + Shapes.str(out) + " do not fit " + spec);
            return geo;
        }
    }

    private static void requireContiguous(String op, View... views) {
        for (View v : views) if (v != null && !v.isContiguous()) throw new IllegalArgumentException("cpu " + op + ": operand " + v + " must be contiguous");
    }

    static void conv2d(View x, View weight, View bias, View out, ConvSpec spec) {
        requireContiguous("conv2d", x, weight, bias, out);
        Geometry g = Geometry.of("conv2d", x.shape(), weight.shape(), out.shape(), spec);
        if (bias != null && (bias.rank() != 1 || bias.shape()[0] != g.o)) throw new IllegalArgumentException("cpu conv2d: bias "
                + Shapes.str(bias.shape()) + " must have shape [" + g.o + "]");
        Parallel.forRange(g.n, 2L * g.o * g.k() * g.positions(), (n0, n1) -> {
            Buffers buf = Buffers.of(x.dtype(), g.k() * g.positions());
            for (int n = n0; n < n1; n++) {
                for (int grp = 0; grp < g.groups; grp++) {
                    int xOff = x.offset() + (n * g.c + grp * g.cg()) * g.h * g.w;
                    int cOff = out.offset() + (n * g.o + grp * g.og()) * g.positions();
                    var a = new CpuGemm.Operand(weight.offset() + grp * g.og() * g.k(), g.k(), 1);
                    var b = new CpuGemm.Operand(0, g.positions(), 1);
                    if (x.dtype() == DType.F32) {
                        im2col(CpuStorage.of(x).floats(), xOff, g, buf.f);
                        CpuGemm.gemm(g.og(), g.positions(), g.k(), CpuStorage.of(weight).floats(), a, buf.f, b,
                                CpuStorage.of(out).floats(), cOff, g.positions(), false);
                    } else {
                        im2col(CpuStorage.of(x).doubles(), xOff, g, buf.d);
                        CpuGemm.gemm(g.og(), g.positions(), g.k(), CpuStorage.of(weight).doubles(), a, buf.d, b,
                                CpuStorage.of(out).doubles(), cOff, g.positions(), false);
                    }
                }
                if (bias != null) addBias(bias, out, n, g);
            }
        });
    }

    static void backwardInput(View gradOut, View weight, View gradInput, ConvSpec spec) {
        requireContiguous("conv2dBackwardInput", gradOut, weight, gradInput);
        Geometry g = Geometry.of("conv2dBackwardInput", gradInput.shape(), weight.shape(), gradOut.shape(), spec);
        Parallel.forRange(g.n, 2L * g.o * g.k() * g.positions(), (n0, n1) -> {
            Buffers buf = Buffers.of(gradOut.dtype(), g.k() * g.positions());
            for (int n = n0; n < n1; n++) {
                for (int grp = 0; grp < g.groups; grp++) {
                    int goOff = gradOut.offset() + (n * g.o + grp * g.og()) * g.positions();
                    int giOff = gradInput.offset() + (n * g.c + grp * g.cg()) * g.h * g.w;
                    // W_g^T: element (r, c) of the [K, Og] transpose is weight[c, r]
                    var a = new CpuGemm.Operand(weight.offset() + grp * g.og() * g.k(), 1, g.k());
                    var b = new CpuGemm.Operand(goOff, g.positions(), 1);
                    if (gradOut.dtype() == DType.F32) {
                        CpuGemm.gemm(g.k(), g.positions(), g.og(), CpuStorage.of(weight).floats(), a,
                                CpuStorage.of(gradOut).floats(), b, buf.f, 0, g.positions(), false);
                        col2im(buf.f, CpuStorage.of(gradInput).floats(), giOff, g);
                    } else {
                        CpuGemm.gemm(g.k(), g.positions(), g.og(), CpuStorage.of(weight).doubles(), a,
                                CpuStorage.of(gradOut).doubles(), b, buf.d, 0, g.positions(), false);
                        col2im(buf.d, CpuStorage.of(gradInput).doubles(), giOff, g);
                    }
                }
            }
        });
    }

    static void backwardWeight(View x, View gradOut, View gradWeight, ConvSpec spec) {
        requireContiguous("conv2dBackwardWeight", x, gradOut, gradWeight);
        Geometry g = Geometry.of("conv2dBackwardWeight", x.shape(), gradWeight.shape(), gradOut.shape(), spec);
        Buffers buf = Buffers.of(x.dtype(), g.k() * g.positions());
        if (g.n == 0) { Elementwise.fill(gradWeight, 0.0); return; }
        for (int n = 0; n < g.n; n++) {
            for (int grp = 0; grp < g.groups; grp++) {
                int xOff = x.offset() + (n * g.c + grp * g.cg()) * g.h * g.w;
                var a = new CpuGemm.Operand(gradOut.offset() + (n * g.o + grp * g.og()) * g.positions(), g.positions(), 1);
                // col^T: element (r, c) of the [positions, K] transpose is col[c, r]
                var b = new CpuGemm.Operand(0, 1, g.positions());
                int wOff = gradWeight.offset() + grp * g.og() * g.k();
                if (x.dtype() == DType.F32) {
                    im2col(CpuStorage.of(x).floats(), xOff, g, buf.f);
                    CpuGemm.gemm(g.og(), g.k(), g.positions(), CpuStorage.of(gradOut).floats(), a, buf.f, b,
                            CpuStorage.of(gradWeight).floats(), wOff, g.k(), n > 0);
                } else {
                    im2col(CpuStorage.of(x).doubles(), xOff, g, buf.d);
                    CpuGemm.gemm(g.og(), g.k(), g.positions(), CpuStorage.of(gradOut).doubles(), a, buf.d, b,
                            CpuStorage.of(gradWeight).doubles(), wOff, g.k(), n > 0);
                }
            }
        }
    }

    /** Scratch for one thread's unfolded matrix. */
    private record Buffers(float[] f, double[] d) {
        static Buffers of(DType t, int size) {
            return t == DType.F32 ? new Buffers(new float[size], null) : new Buffers(null, new double[size]);
        }
    }

    // col[(c * kh + i) * kw + j][oy * ow + ox] = x[c, oy * sh - ph + i * dh, ox * sw - pw + j * dw], 0 outside
    private static void im2col(float[] x, int xOff, Geometry g, float[] col) {
        ConvSpec s = g.spec;
        int row = 0;
        for (int c = 0; c < g.cg(); c++) {
            for (int i = 0; i < g.kh; i++) {
                for (int j = 0; j < g.kw; j++, row++) {
                    int base = row * g.positions();
                    for (int oy = 0; oy < g.oh; oy++) {
                        int iy = oy * s.strideH() - s.padH() + i * s.dilationH();
                        int dst = base + oy * g.ow;
                        if (iy < 0 || iy >= g.h) { java.util.Arrays.fill(col, dst, dst + g.ow, 0f); continue; }
                        int src = xOff + (c * g.h + iy) * g.w;
                        for (int ox = 0; ox < g.ow; ox++) {
                            int ix = ox * s.strideW() - s.padW() + j * s.dilationW();
                            col[dst + ox] = ix >= 0 && ix < g.w ? x[src + ix] : 0f;
                        }
                    }
                }
            }
        }
    }

    private static void im2col(double[] x, int xOff, Geometry g, double[] col) {
        ConvSpec s = g.spec;
        int row = 0;
        for (int c = 0; c < g.cg(); c++) {
            for (int i = 0; i < g.kh; i++) {
                for (int j = 0; j < g.kw; j++, row++) {
                    int base = row * g.positions();
                    for (int oy = 0; oy < g.oh; oy++) {
                        int iy = oy * s.strideH() - s.padH() + i * s.dilationH();
                        int dst = base + oy * g.ow;
                        if (iy < 0 || iy >= g.h) { java.util.Arrays.fill(col, dst, dst + g.ow, 0.0); continue; }
                        int src = xOff + (c * g.h + iy) * g.w;
                        for (int ox = 0; ox < g.ow; ox++) {
                            int ix = ox * s.strideW() - s.padW() + j * s.dilationW();
                            col[dst + ox] = ix >= 0 && ix < g.w ? x[src + ix] : 0.0;
                        }
                    }
                }
            }
        }
    }

    // The adjoint of im2col: gradInput = 0, then every col entry is added to the pixel it was read from,
    // in the fixed order of col's rows and columns.
    private static void col2im(float[] col, float[] gi, int giOff, Geometry g) {
        ConvSpec s = g.spec;
        java.util.Arrays.fill(gi, giOff, giOff + g.cg() * g.h * g.w, 0f);
        int row = 0;
        for (int c = 0; c < g.cg(); c++) {
            for (int i = 0; i < g.kh; i++) {
                for (int j = 0; j < g.kw; j++, row++) {
                    int base = row * g.positions();
                    for (int oy = 0; oy < g.oh; oy++) {
                        int iy = oy * s.strideH() - s.padH() + i * s.dilationH();
                        if (iy < 0 || iy >= g.h) continue;
                        int dst = giOff + (c * g.h + iy) * g.w, src = base + oy * g.ow;
                        for (int ox = 0; ox < g.ow; ox++) {
                            int ix = ox * s.strideW() - s.padW() + j * s.dilationW();
                            if (ix >= 0 && ix < g.w) gi[dst + ix] += col[src + ox];
                        }
                    }
                }
            }
        }
    }

    private static void col2im(double[] col, double[] gi, int giOff, Geometry g) {
        ConvSpec s = g.spec;
        java.util.Arrays.fill(gi, giOff, giOff + g.cg() * g.h * g.w, 0.0);
        int row = 0;
        for (int c = 0; c < g.cg(); c++) {
            for (int i = 0; i < g.kh; i++) {
                for (int j = 0; j < g.kw; j++, row++) {
                    int base = row * g.positions();
                    for (int oy = 0; oy < g.oh; oy++) {
                        int iy = oy * s.strideH() - s.padH() + i * s.dilationH();
                        if (iy < 0 || iy >= g.h) continue;
                        int dst = giOff + (c * g.h + iy) * g.w, src = base + oy * g.ow;
                        for (int ox = 0; ox < g.ow; ox++) {
                            int ix = ox * s.strideW() - s.padW() + j * s.dilationW();
                            if (ix >= 0 && ix < g.w) gi[dst + ix] += col[src + ox];
                        }
                    }
                }
            }
        }
    }

    private static void addBias(View bias, View out, int n, Geometry g) {
        CpuStorage bs = CpuStorage.of(bias), os = CpuStorage.of(out);
        int p = g.positions();
        for (int o = 0; o < g.o; o++) {
            int base = out.offset() + (n * g.o + o) * p;
            if (os.dtype() == DType.F32) {
                float[] a = os.floats();
                float b = bs.floats()[bias.offset() + o];
                for (int q = 0; q < p; q++) a[base + q] += b;
            } else {
                double[] a = os.doubles();
                double b = bs.doubles()[bias.offset() + o];
                for (int q = 0; q < p; q++) a[base + q] += b;
            }
        }
    }
}
