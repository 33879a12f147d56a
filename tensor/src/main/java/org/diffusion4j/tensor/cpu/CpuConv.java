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
                    if (x.dtype() == DType.F32 && CpuGemm.usesPackedKernel(g.og(), g.positions(), g.k())) {
                        // implicit im2col: the packed GEMM pulls the unfolded rows straight from x
                        PackedGemmF32.gemm(g.og(), g.positions(), g.k(), CpuStorage.of(weight).floats(), a,
                                unfoldedRows(CpuStorage.of(x).floats(), xOff, g), CpuStorage.of(out).floats(), cOff, g.positions(), false);
                    } else if (x.dtype() == DType.F32) {
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
        if (g.n == 0) { Elementwise.fill(gradWeight, 0.0); return; }
        if (x.dtype() == DType.F32) { backwardWeightF32(x, gradOut, gradWeight, g); return; }
        Buffers buf = Buffers.of(x.dtype(), g.k() * g.positions());
        for (int n = 0; n < g.n; n++) {
            for (int grp = 0; grp < g.groups; grp++) {
                int xOff = x.offset() + (n * g.c + grp * g.cg()) * g.h * g.w;
                var a = new CpuGemm.Operand(gradOut.offset() + (n * g.o + grp * g.og()) * g.positions(), g.positions(), 1);
                // col^T: element (r, c) of the [positions, K] transpose is col[c, r]
                var b = new CpuGemm.Operand(0, 1, g.positions());
                int wOff = gradWeight.offset() + grp * g.og() * g.k();
                im2col(CpuStorage.of(x).doubles(), xOff, g, buf.d);
                CpuGemm.gemm(g.og(), g.k(), g.positions(), CpuStorage.of(gradOut).doubles(), a, buf.d, b,
                        CpuStorage.of(gradWeight).doubles(), wOff, g.k(), n > 0);
            }
        }
    }

    /**
     * F32 weight gradient as its transpose, gradW_g^T [K, Og] = sum over n of col [K, P] gradOut[n, g]^T,
     * so that the long dimension K is the GEMM's row dimension (better for the packed kernel); the chains
     * are the same products in the same order (fma is symmetric in its factors), so the bits equal the
     * untransposed form. The sum is transposed into gradWeight at the end.
     */
    private static void backwardWeightF32(View x, View gradOut, View gradWeight, Geometry g) {
        int k = g.k(), og = g.og(), p = g.positions();
        float[] col = new float[k * p], acc = new float[g.groups * k * og];
        float[] xs = CpuStorage.of(x).floats(), gos = CpuStorage.of(gradOut).floats(), gw = CpuStorage.of(gradWeight).floats();
        for (int n = 0; n < g.n; n++) {
            for (int grp = 0; grp < g.groups; grp++) {
                im2col(xs, x.offset() + (n * g.c + grp * g.cg()) * g.h * g.w, g, col);
                var gradOutT = new CpuGemm.Operand(gradOut.offset() + (n * g.o + grp * og) * p, 1, p);
                CpuGemm.gemm(k, og, p, col, new CpuGemm.Operand(0, p, 1), gos, gradOutT, acc, grp * k * og, og, n > 0);
            }
        }
        for (int grp = 0; grp < g.groups; grp++)
            for (int o = 0; o < og; o++)
                for (int r = 0; r < k; r++) gw[gradWeight.offset() + (grp * og + o) * k + r] = acc[(grp * k + r) * og + o];
    }

    /** Scratch for one thread's unfolded matrix. */
    private record Buffers(float[] f, double[] d) {
        static Buffers of(DType t, int size) {
            return t == DType.F32 ? new Buffers(new float[size], null) : new Buffers(null, new double[size]);
        }
    }

    /**
     * Row r of the unfolded matrix col (below), columns [c0, c0 + length), computed from x on demand: one
     * output row at a time, and for stride 1 as a straight copy of the input row between zero margins.
     */
    private static PackedGemmF32.RowSource unfoldedRows(float[] x, int xOff, Geometry g) {
        ConvSpec s = g.spec;
        return (r, c0, length, dst, off) -> {
            int ch = r / (g.kh * g.kw), i = (r / g.kw) % g.kh, j = r % g.kw;
            int plane = xOff + ch * g.h * g.w, shift = j * s.dilationW() - s.padW();
            for (int pos = c0, end = c0 + length, t = off; pos < end; ) {
                int oy = pos / g.ow, ox = pos % g.ow, run = Math.min(g.ow - ox, end - pos);
                int iy = oy * s.strideH() - s.padH() + i * s.dilationH();
                if (iy < 0 || iy >= g.h) {
                    java.util.Arrays.fill(dst, t, t + run, 0f);
                } else if (s.strideW() == 1) {
                    // ix = ox + shift is inside [0, w) for ox in [lo, hi)
                    int lo = Math.min(ox + run, Math.max(ox, -shift)), hi = Math.max(lo, Math.min(ox + run, g.w - shift));
                    java.util.Arrays.fill(dst, t, t + lo - ox, 0f);
                    System.arraycopy(x, plane + iy * g.w + lo + shift, dst, t + lo - ox, hi - lo);
                    java.util.Arrays.fill(dst, t + hi - ox, t + run, 0f);
                } else {
                    int rowBase = plane + iy * g.w;
                    for (int q = 0; q < run; q++) {
                        int ix = (ox + q) * s.strideW() + shift;
                        dst[t + q] = ix >= 0 && ix < g.w ? x[rowBase + ix] : 0f;
                    }
                }
                pos += run;
                t += run;
            }
        };
    }

    // col[(c * kh + i) * kw + j][oy * ow + ox] = x[c, oy * sh - ph + i * dh, ox * sw - pw + j * dw], 0 outside
    private static void im2col(float[] x, int xOff, Geometry g, float[] col) {
        PackedGemmF32.RowSource rows = unfoldedRows(x, xOff, g);
        for (int r = 0; r < g.k(); r++) rows.copyRow(r, 0, g.positions(), col, r * g.positions());
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
                    int base = row * g.positions(), shift = j * s.dilationW() - s.padW();
                    // output columns ox with 0 <= ox * sw + shift < w
                    int lo = Math.max(0, ceilDiv(-shift, s.strideW())), hi = Math.min(g.ow, ceilDiv(g.w - shift, s.strideW()));
                    for (int oy = 0; oy < g.oh; oy++) {
                        int iy = oy * s.strideH() - s.padH() + i * s.dilationH();
                        if (iy < 0 || iy >= g.h) continue;
                        int dst = giOff + (c * g.h + iy) * g.w + shift, src = base + oy * g.ow;
                        for (int ox = lo; ox < hi; ox++) gi[dst + ox * s.strideW()] += col[src + ox];
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) { return -Math.floorDiv(-a, b); }

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
