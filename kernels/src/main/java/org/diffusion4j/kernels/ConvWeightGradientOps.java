package org.diffusion4j.kernels;

import org.diffusion4j.kernels.runtime.ClKernel;
import org.diffusion4j.kernels.runtime.ClStorage;
import org.diffusion4j.kernels.runtime.GemmConfig;
import org.diffusion4j.tensor.ConvSpec;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.View;
import org.jocl.cl_mem;

/**
 * The weight gradient of conv2d, gradW[o, c, kh, kw] = sum over (n, oh, ow) of gradOut[n, o, oh, ow] x[n, c, ...],
 * a GEMM with a short M (output channels), a moderate N (input channels x kernel) and a long K (batch x
 * output pixels). One of three paths, chosen from the shape only (the same on every device):
 * <ol>
 *   <li>{@link Path#WINOGRAD}: 3x3, stride 1, padding 1, one group, >= 8 channels each way (the condition of
 *       the Winograd forward): F(2x2, 3x3) transposed, 16 GEMMs of C x O over K = batch x 2x2 blocks
 *       (conv_weight_gradient.cl explains the algebra);</li>
 *   <li>{@link Path#SMALL_O}: one group, at most {@value #SMALL_O_MAX} output channels and a kernel of at most
 *       {@value #SMALL_O_MAX_TAPS} taps (a UNet's output convolution): a blocked reduction, one work-group per
 *       input channel and slice of K;</li>
 *   <li>{@link Path#IMPLICIT_GEMM}: the implicit GEMM of gemm_conv_backward_weight.cl, with the GEMM core's
 *       register tile halved along M and N while the tile is at least twice the matrix (no half-empty tiles at
 *       64 output channels).</li>
 * </ol>
 * In every path a K too long for the output's work-groups to fill the device is cut into slices whose partial
 * sums splitk_sum adds in slice order: deterministic, no atomics.
 */
final class ConvWeightGradientOps {
    static final int SMALL_O_MAX = 4, SMALL_O_MAX_TAPS = 9;
    private static final int MAX_SPLITS = 64;

    /** The three paths. */
    enum Path { WINOGRAD, SMALL_O, IMPLICIT_GEMM }

    private final OpenClBackend b;
    private final GemmOps gemm;

    ConvWeightGradientOps(OpenClBackend b, GemmOps gemm) {
        this.b = b;
        this.gemm = gemm;
    }

    /** The path for input x [N, C, H, W], weight w [O, C/groups, KH, KW] and spec s. */
    static Path path(int[] x, int[] w, ConvSpec s) {
        if (GemmOps.useWinograd(x, w, s)) return Path.WINOGRAD;
        if (s.groups() == 1 && w[0] <= SMALL_O_MAX && w[2] * w[3] <= SMALL_O_MAX_TAPS) return Path.SMALL_O;
        return Path.IMPLICIT_GEMM;
    }

    /** Operands already checked by GemmOps (shapes fit, contiguous, gw non-empty, K > 0). */
    void run(View x, View gy, View gw, ConvSpec s) {
        switch (path(x.shape(), gw.shape(), s)) {
            case WINOGRAD -> winograd(x, gy, gw);
            case SMALL_O -> smallO(x, gy, gw, s);
            case IMPLICIT_GEMM -> implicitGemm(x, gy, gw, s);
        }
    }

    /** Slices of K: enough work-groups to fill the device twice, each slice at least minLength long; 1 when the groups already do. */
    private int splits(long groups, long k, long minLength) {
        long target = 2L * Math.max(1, b.info().computeUnits());
        if (groups >= target) return 1;
        long byWork = (target + groups - 1) / groups, byLength = k / Math.max(1, minLength);
        return (int) Math.max(1, Math.min(MAX_SPLITS, Math.min(byWork, byLength)));
    }

    /**
     * The device's GEMM tile with its register block halved along M (and N) while the tile has at least twice
     * the rows (columns) of the matrix; K steps doubled where the smaller block needs it to split the staged
     * tiles evenly. The device's tile when no smaller one is valid and fits.
     */
    static GemmConfig fitted(GemmConfig base, int m, int n, long localBytes, long maxItems, DType dtype) {
        int wptM = base.wptM(), wptN = base.wptN();
        while (wptM > 1 && (long) base.wgM() * wptM >= 2L * m) wptM /= 2;
        while (wptN > 1 && (long) base.wgN() * wptN >= 2L * n) wptN /= 2;
        if (wptM == base.wptM() && wptN == base.wptN()) return base;
        for (int tk = base.tk(); tk <= 64; tk *= 2) {
            GemmConfig c;
            try {
                c = new GemmConfig(base.wgM(), base.wgN(), wptM, wptN, tk);
            } catch (IllegalArgumentException notEven) {
                continue;
            }
            if (c.localBytes(dtype) <= localBytes && (long) c.wgM() * c.wgN() <= maxItems) return c;
        }
        return base;
    }

    /**
     * One GEMM-core launch over batches x M x N with K cut into slices (partials added in order by splitk_sum
     * into out from outOffset).
     */
    private void launch(ClKernel kern, GemmConfig cfg, DType dtype, cl_mem a, cl_mem bm, cl_mem out, int batches, int m, int n, int k,
                        int[] pa, int[] pb, int[] pc, int outOffset) {
        long tilesM = (m + cfg.tileM() - 1) / cfg.tileM(), tilesN = (n + cfg.tileN() - 1) / cfg.tileN();
        int kSplit = splits(tilesM * tilesN * batches, k, 8L * cfg.tk());
        try (ClStorage partial = kSplit > 1 ? b.scratch(dtype, (long) batches * kSplit * m * n) : null) {
            kern.args().mem(a).mem(bm).mem(partial == null ? out : partial.mem()).mem(out).i(m).i(n).i(k).i(kSplit)
                    .int16(pa).int16(pb).int16(pc)
                    .run3d(tilesN * cfg.wgN(), tilesM * cfg.wgM(), (long) batches * kSplit, cfg.wgN(), cfg.wgM(), 1);
            if (partial != null) sumSplits(dtype, partial, kSplit, m * n, batches * m * n, out, outOffset);
        }
    }

    private void sumSplits(DType dtype, ClStorage partial, int splits, int mn, int total, cl_mem out, int outOffset) {
        b.programs().reduce(dtype, "splitk_sum").args().mem(partial.mem()).i(splits).i(mn).i(total).mem(out).i(outOffset)
                .run1d(total, 256);
    }

    private GemmConfig fittedFor(DType dtype, int m, int n) {
        return fitted(gemm.config(dtype), m, n, b.info().localMemoryBytes(), b.info().maxWorkGroupSize(), dtype);
    }

    private void winograd(View x, View gy, View gw) {
        DType dt = gw.dtype();
        int n = x.shape()[0], c = x.shape()[1], h = x.shape()[2], wd = x.shape()[3], o = gw.shape()[0];
        long p = (long) n * ((h + 1) / 2) * ((wd + 1) / 2);
        if (16 * p * Math.max(c, o) > Integer.MAX_VALUE) throw new IllegalArgumentException("opencl conv2dBackwardWeight (Winograd): "
                + "transformed tiles of " + Shapes.str(x.shape()) + " exceed 2^31 elements; set -D" + GemmOps.WINOGRAD_PROPERTY + "=false");
        int pi = (int) p;
        try (ClStorage v = b.scratch(dt, 16 * p * c); ClStorage u = b.scratch(dt, 16 * p * o); ClStorage m = b.scratch(dt, 16L * c * o)) {
            b.programs().winograd(dt, "winograd_input").args().mem(b.mem(x)).i(x.offset()).i(n).i(c).i(h).i(wd).mem(v.mem()).run1d(p * c, 256);
            b.programs().convWeightGradient(dt, "winograd_grad_out", "").args().mem(b.mem(gy)).i(gy.offset()).i(n).i(o).i(h).i(wd)
                    .mem(u.mem()).run1d(p * o, 256);
            // Mt[t] (C x O) = V[t] (C x P) Ugy[t] (P x O)
            GemmConfig cfg = fittedFor(dt, c, o);
            launch(b.programs().matmul(dt, cfg), cfg, dt, v.mem(), u.mem(), m.mem(), 16, c, o, pi,
                    new int[]{0, c * pi, pi, 1}, new int[]{0, pi * o, o, 1}, new int[]{0, c * o, o}, 0);
            b.programs().convWeightGradient(dt, "winograd_grad_weight", "").args().mem(m.mem()).i(o).i(c).mem(b.mem(gw)).i(gw.offset())
                    .run1d((long) o * c, 128);
        }
    }

    private void smallO(View x, View gy, View gw, ConvSpec s) {
        DType dt = gw.dtype();
        int[] xs = x.shape(), ws = gw.shape();
        int o = ws[0], c = xs[1], taps = ws[2] * ws[3];
        int k = xs[0] * gy.shape()[2] * gy.shape()[3];
        int wg = (int) Math.min(128, Long.highestOneBit(b.info().maxWorkGroupSize()));
        int kSplit = splits(c, k, 4L * wg);
        int kPer = (k + kSplit - 1) / kSplit;
        int[] geo = GemmOps.geometry(xs, ws, gy.shape()[2], gy.shape()[3], s);
        String options = "-DSMALL_O=" + o + " -DKHW=" + taps + " -DRED_WG=" + wg;
        ClKernel kern = b.programs().convWeightGradient(dt, "conv_weight_grad_small_o", options);
        if (kSplit == 1) {
            kern.args().mem(b.mem(x)).i(x.offset()).mem(b.mem(gy)).i(gy.offset()).int16(geo).i(k).i(kPer).mem(b.mem(gw)).i(gw.offset())
                    .run3d((long) c * wg, 1, 1, wg, 1, 1);
            return;
        }
        int sums = o * c * taps;
        try (ClStorage partial = b.scratch(dt, (long) kSplit * sums)) {
            kern.args().mem(b.mem(x)).i(x.offset()).mem(b.mem(gy)).i(gy.offset()).int16(geo).i(k).i(kPer).mem(partial.mem()).i(0)
                    .run3d((long) c * wg, kSplit, 1, wg, 1, 1);
            sumSplits(dt, partial, kSplit, sums, sums, b.mem(gw), gw.offset());
        }
    }

    private void implicitGemm(View x, View gy, View gw, ConvSpec s) {
        DType dt = gw.dtype();
        int[] geo = GemmOps.geometry(x.shape(), gw.shape(), gy.shape()[2], gy.shape()[3], s);
        int g = s.groups();
        int m = geo[14], n = geo[13] * gw.shape()[2] * gw.shape()[3], k = x.shape()[0] * gy.shape()[2] * gy.shape()[3];
        GemmConfig cfg = fittedFor(dt, m, n);
        int[] pc = {0, gy.offset(), x.offset(), gw.offset()};
        launch(gemm.convKernel(dt, cfg, "conv2d_backward_weight", geo), cfg, dt, b.mem(gy), b.mem(x), b.mem(gw), g, m, n, k, geo, geo, pc,
                gw.offset());
    }
}
