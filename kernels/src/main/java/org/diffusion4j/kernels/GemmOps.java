package org.diffusion4j.kernels;

import org.diffusion4j.kernels.runtime.ClKernel;
import org.diffusion4j.kernels.runtime.ClStorage;
import org.diffusion4j.kernels.runtime.GemmConfig;
import org.diffusion4j.kernels.runtime.MmaConfig;
import org.diffusion4j.tensor.ConvSpec;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Precision;
import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.View;
import org.jocl.cl_mem;

import java.util.EnumMap;
import java.util.Map;

/**
 * Matmul and the three convolutions, all on the one register-blocked GEMM core (gemm_core.cl). The
 * convolutions are implicit GEMMs: the kernels compute the unfolded (im2col) addresses as they load tiles,
 * so no unfolded buffer is ever allocated. Under the tf32 and 3xtf32 precision policies (F32 only) matmul, the
 * forward, the input gradient and Winograd's products run on the tensor-core core (gemm_mma.cl) with the same
 * loaders instead; the weight gradient stays on the FP32 core.
 */
final class GemmOps {
    private static final int MAX_SPLITS = 64;
    private final OpenClBackend b;
    private final Map<DType, GemmConfig> configs = new EnumMap<>(DType.class);

    private final ConvWeightGradientOps weightGradient;

    GemmOps(OpenClBackend b) {
        this.b = b;
        this.weightGradient = new ConvWeightGradientOps(b, this);
    }

    ConvWeightGradientOps weightGradient() { return weightGradient; }

    GemmConfig config(DType dtype) { return configs.computeIfAbsent(dtype, d -> GemmConfig.forDevice(b.info(), d)); }

    private MmaConfig mmaConfig;

    MmaConfig mmaConfig() {
        if (mmaConfig == null) mmaConfig = MmaConfig.forDevice(b.info());
        return mmaConfig;
    }

    /**
     * Whether F32 products of this dtype go to the tensor-core core (gemm_mma.cl): under the tf32 and 3xtf32
     * policies, which the backend only accepts on devices that have tensor cores. F64 stays on the FP32/F64 core.
     */
    private boolean onTensorCores(DType dtype) { return dtype == DType.F32 && b.precision().usesTensorCores(); }

    /** The batched matmul kernel for the current policy. */
    private ClKernel matmulKernel(DType dtype) {
        return onTensorCores(dtype) ? b.programs().mma(mmaConfig(), b.precision() == Precision.TF32X3, "gemm_matmul", "")
                : b.programs().matmul(dtype, config(dtype));
    }

    /**
     * How many slices K is cut into: enough work-groups to fill the device twice when the output alone has
     * too few tiles, each slice at least 8 K-tiles long. A function of the shape and device only.
     */
    private int splits(int tk, long tiles, int k) {
        long target = 2L * Math.max(1, b.info().computeUnits());
        if (tiles >= target) return 1;
        long byWork = (target + tiles - 1) / tiles;
        long byLength = k / (8L * tk);
        return (int) Math.max(1, Math.min(MAX_SPLITS, Math.min(byWork, byLength)));
    }

    /**
     * Launches one GEMM-core kernel over batches x M x N (K summed), splitting K when worthwhile. With
     * splits, partial sums go to a temporary and splitk_sum adds them in order into out (contiguous from
     * outOffset, batch stride M*N). With mma the kernel is the tensor-core core (gemm_mma.cl), whose work-groups
     * are MmaConfig's one-dimensional groups of warps; otherwise the register-blocked core of GemmConfig.
     */
    private void launch(ClKernel kern, boolean mma, DType dtype, cl_mem a, cl_mem bm, cl_mem c, cl_mem d, int batches, int m, int n, int k,
                        int[] pa, int[] pb, int[] pc, boolean allowSplit, int outOffset) {
        launch(kern, mma, dtype, a, bm, c, d, null, null, batches, m, n, k, pa, pb, pc, allowSplit, outOffset);
    }

    /**
     * As above; e and f, when not null, are the kernel's extra buffer arguments after pc (gemm_matmul_add's residual,
     * gemm_matmul_concat's second B), and
     * then the split-K partials are summed by gemm_matmul_add's splitk_sum_add with the same epilogue.
     */
    private void launch(ClKernel kern, boolean mma, DType dtype, cl_mem a, cl_mem bm, cl_mem c, cl_mem d, cl_mem e, cl_mem f, int batches,
                        int m, int n, int k, int[] pa, int[] pb, int[] pc, boolean allowSplit, int outOffset) {
        GemmConfig cfg = config(dtype);
        MmaConfig mc = mma ? mmaConfig() : null;
        int tileM = mma ? mc.tileM() : cfg.tileM(), tileN = mma ? mc.tileN() : cfg.tileN(), tk = mma ? MmaConfig.TK : cfg.tk();
        long tilesM = (m + tileM - 1) / tileM, tilesN = (n + tileN - 1) / tileN;
        int kSplit = allowSplit ? splits(tk, tilesM * tilesN * batches, k) : 1;
        ClStorage partial = kSplit > 1 ? b.scratch(dtype, (long) batches * kSplit * m * n) : null;
        try {
            ClKernel bound = kern.args().mem(a).mem(bm).mem(partial == null ? c : partial.mem()).mem(d).i(m).i(n).i(k).i(kSplit)
                    .int16(pa).int16(pb).int16(pc);
            if (e != null) bound.mem(e);
            if (f != null) bound.mem(f);
            if (mma) bound.run3d(tilesN * mc.threads(), tilesM, (long) batches * kSplit, mc.threads(), 1, 1);
            else bound.run3d(tilesN * cfg.wgN(), tilesM * cfg.wgM(), (long) batches * kSplit, cfg.wgN(), cfg.wgM(), 1);
            if (partial != null && e != null) {
                b.programs().matmulAdd(dtype, cfg, "splitk_sum_add").args().mem(partial.mem()).i(kSplit).i(m).i(n).i(batches * m * n)
                        .mem(c).mem(d).mem(e).int16(pc).run1d((long) batches * m * n, 256);
            } else if (partial != null) {
                int total = batches * m * n;
                b.programs().reduce(dtype, "splitk_sum").args().mem(partial.mem()).i(kSplit).i(m * n).i(total).mem(c).i(outOffset)
                        .run1d(total, 256);
            }
        } finally {
            if (partial != null) partial.close();
        }
    }

    void matmul(View a, View bv, View out) {
        int rank = out.rank();
        if (rank < 2 || a.rank() != rank || bv.rank() != rank) throw new IllegalArgumentException("opencl matmul: ranks "
                + a.rank() + ", " + bv.rank() + ", " + rank + " must be equal and >= 2");
        b.requireContiguous("matmul (output)", out);
        int m = out.shape()[rank - 2], n = out.shape()[rank - 1], k = a.shape()[rank - 1];
        if (a.shape()[rank - 2] != m || bv.shape()[rank - 2] != k || bv.shape()[rank - 1] != n) throw new IllegalArgumentException(
                "opencl matmul: " + Shapes.str(a.shape()) + " @ " + Shapes.str(bv.shape()) + " -> " + Shapes.str(out.shape()) + " do not fit");
        if (out.numel() == 0) return;
        if (k == 0) { b.fill(out, 0.0); return; }
        int[] batchShape = java.util.Arrays.copyOf(out.shape(), rank - 2);
        StridedLayout batch = StridedLayout.of("matmul", batchShape, java.util.Arrays.copyOf(a.strides(), rank - 2),
                java.util.Arrays.copyOf(bv.strides(), rank - 2), java.util.Arrays.copyOf(out.strides(), rank - 2));
        // The innermost folded batch axis runs inside the kernel; the outer ones (rare) loop here.
        int inner = batch.rank() - 1;
        int innerCount = batch.shape()[inner];
        int outer = 1;
        for (int d = 0; d < inner; d++) outer *= batch.shape()[d];
        int mn = m * n;
        for (int o = 0; o < outer; o++) {
            int rem = o, offA = a.offset(), offB = bv.offset(), offC = out.offset();
            for (int d = inner - 1; d >= 0; d--) {
                int c = rem % batch.shape()[d];
                rem /= batch.shape()[d];
                offA += c * batch.strides()[0][d];
                offB += c * batch.strides()[1][d];
                offC += c * batch.strides()[2][d];
            }
            int[] pa = {offA, batch.strides()[0][inner], a.strides()[rank - 2], a.strides()[rank - 1]};
            int[] pb = {offB, batch.strides()[1][inner], bv.strides()[rank - 2], bv.strides()[rank - 1]};
            int[] pc = {offC, innerCount == 1 ? mn : batch.strides()[2][inner], n};
            cl_mem cm = b.mem(out);
            launch(matmulKernel(out.dtype()), onTensorCores(out.dtype()), out.dtype(), b.mem(a), b.mem(bv), cm, cm, innerCount, m, n, k, pa, pb, pc, true, offC);
        }
    }

    /**
     * Backend#matmulAdd: out = silu?((a b + bias) + residual) with the additions in the GEMM's epilogue (gemm_matmul_add.cl),
     * bias and residual views of out's shape with any strides (either null). False under a tensor-core policy, whose
     * core has no such epilogue (the caller then composes on this device).
     */
    boolean matmulAdd(View a, View bv, View bias, View residual, boolean silu, View out) {
        return matmulAdd(a, bv, null, bias, residual, silu, out);
    }

    /**
     * As above; with b2 not null, B is the concatenation along K of bv (its rows, bv.shape()[rank - 2] of them, come
     * first) and b2 (the rest): gemm_matmul_concat, a 1x1 convolution of two inputs concatenated along channels.
     */
    private boolean matmulAdd(View a, View bv, View b2, View bias, View residual, boolean silu, View out) {
        int rank = out.rank();
        if (rank < 2 || a.rank() != rank || bv.rank() != rank) throw new IllegalArgumentException("opencl matmulAdd: ranks "
                + a.rank() + ", " + bv.rank() + ", " + rank + " must be equal and >= 2");
        for (View v : new View[]{bias, residual}) {
            if (v != null && !java.util.Arrays.equals(v.shape(), out.shape())) throw new IllegalArgumentException("opencl matmulAdd: "
                    + "addend " + Shapes.str(v.shape()) + " must have the output's shape " + Shapes.str(out.shape()));
        }
        b.requireContiguous("matmulAdd (output)", out);
        int m = out.shape()[rank - 2], n = out.shape()[rank - 1], k = a.shape()[rank - 1];
        int k1 = bv.shape()[rank - 2], k2 = b2 == null ? 0 : b2.shape()[rank - 2];
        if (a.shape()[rank - 2] != m || k1 + k2 != k || bv.shape()[rank - 1] != n || (b2 != null && b2.shape()[rank - 1] != n))
            throw new IllegalArgumentException("opencl matmulAdd: " + Shapes.str(a.shape()) + " @ " + Shapes.str(bv.shape()) + " -> " + Shapes.str(out.shape()) + " do not fit");
        if (onTensorCores(out.dtype()) || k == 0) return false;
        if (out.numel() == 0) return true;
        int[] none = new int[rank];
        int[] bs = bias == null ? none : bias.strides(), rs = residual == null ? none : residual.strides();
        int[] b2s = b2 == null ? none : b2.strides();
        int[] batchShape = java.util.Arrays.copyOf(out.shape(), rank - 2);
        StridedLayout batch = StridedLayout.of("matmulAdd", batchShape, java.util.Arrays.copyOf(a.strides(), rank - 2),
                java.util.Arrays.copyOf(bv.strides(), rank - 2), java.util.Arrays.copyOf(out.strides(), rank - 2),
                java.util.Arrays.copyOf(bs, rank - 2), java.util.Arrays.copyOf(rs, rank - 2), java.util.Arrays.copyOf(b2s, rank - 2));
        int inner = batch.rank() - 1;
        int innerCount = batch.shape()[inner];
        int outer = 1;
        for (int d = 0; d < inner; d++) outer *= batch.shape()[d];
        int flags = (bias == null ? 0 : 1) | (residual == null ? 0 : 2) | (silu ? 4 : 0);
        cl_mem cm = b.mem(out);
        for (int o = 0; o < outer; o++) {
            int rem = o;
            int[] off = {a.offset(), bv.offset(), out.offset(), bias == null ? 0 : bias.offset(), residual == null ? 0 : residual.offset(),
                    b2 == null ? 0 : b2.offset()};
            for (int d = inner - 1; d >= 0; d--) {
                int c = rem % batch.shape()[d];
                rem /= batch.shape()[d];
                for (int op = 0; op < off.length; op++) off[op] += c * batch.strides()[op][d];
            }
            int[] pa = {off[0], batch.strides()[0][inner], a.strides()[rank - 2], a.strides()[rank - 1]};
            int[] pb = {off[1], batch.strides()[1][inner], bv.strides()[rank - 2], bv.strides()[rank - 1],
                    k1, off[5], batch.strides()[5][inner], b2s[rank - 2], b2s[rank - 1]};
            int[] pc = {off[2], innerCount == 1 ? m * n : batch.strides()[2][inner], n,
                    off[3], batch.strides()[3][inner], bs[rank - 2], bs[rank - 1],
                    off[4], batch.strides()[4][inner], rs[rank - 2], rs[rank - 1], flags};
            ClKernel kern = b2 == null ? b.programs().matmulAdd(out.dtype(), config(out.dtype()), "gemm_matmul_add")
                    : b.programs().matmulConcat(out.dtype(), config(out.dtype()));
            launch(kern, false, out.dtype(), b.mem(a), b.mem(bv), cm, bias == null ? cm : b.mem(bias), residual == null ? cm : b.mem(residual),
                    b2 == null ? null : b.mem(b2), innerCount, m, n, k, pa, pb, pc, true, off[2]);
        }
        return true;
    }

    /**
     * Backend#conv2dConcat for a 1x1 convolution (stride 1, no padding, one group): a GEMM of the weight [O, C1 + C2] with
     * B read from x1's channels and then x2's (gemm_matmul_concat), bias in the epilogue; the products in the order the
     * implicit-GEMM convolution takes them. False for other geometries (the caller composes).
     */
    boolean conv2dConcat(View x1, View x2, View w, View bias, View out, ConvSpec s) {
        b.requireContiguous("conv2dConcat", x1, x2, w, bias, out);
        int[] a = x1.shape(), c = x2.shape(), ws = w.shape(), os = out.shape();
        if (ws[2] != 1 || ws[3] != 1 || s.groups() != 1 || s.strideH() != 1 || s.strideW() != 1 || s.padH() != 0 || s.padW() != 0) return false;
        int n = a[0], c1 = a[1], c2 = c[1], o = ws[0], p = a[2] * a[3];
        if (c[0] != n || c[2] != a[2] || c[3] != a[3] || ws[1] != c1 + c2 || os[0] != n || os[1] != o || os[2] != a[2] || os[3] != a[3])
            throw new IllegalArgumentException("opencl conv2dConcat: inputs " + Shapes.str(a) + " and " + Shapes.str(c) + ", weight "
                    + Shapes.str(ws) + " and output " + Shapes.str(os) + " do not fit a 1x1 convolution of their concatenation");
        if (out.numel() == 0) return true;
        View wv = new View(w.storage(), new int[]{n, o, c1 + c2}, new int[]{0, c1 + c2, 1}, w.offset());
        View b1 = new View(x1.storage(), new int[]{n, c1, p}, new int[]{c1 * p, p, 1}, x1.offset());
        View b2 = new View(x2.storage(), new int[]{n, c2, p}, new int[]{c2 * p, p, 1}, x2.offset());
        View bv = bias == null ? null : new View(bias.storage(), new int[]{n, o, p}, new int[]{0, 1, 0}, bias.offset());
        View ov = new View(out.storage(), new int[]{n, o, p}, new int[]{o * p, p, 1}, out.offset());
        return matmulAdd(wv, b1, b2, bv, null, false, ov);
    }

    /**
     * Whether convolution kernels are compiled per geometry (-DCONV_STATIC: the im2col divisions by
     * constants become multiplications). On by default for GPUs, whose drivers compile in a fraction of a
     * second and where a model has a handful of geometries; off for CPU drivers. Tests may force it.
     */
    Boolean specialiseConvolutions;

    private boolean specialise() {
        return specialiseConvolutions != null ? specialiseConvolutions : b.info().isGpu();
    }

    private ClKernel convKernel(DType dtype, String kernel, int[] geo, boolean mma) { return convKernel(dtype, config(dtype), kernel, geo, mma); }

    /** A convolution kernel on the FP32 GEMM core with the given tile (the weight gradient fits its tile to the shape). */
    ClKernel convKernel(DType dtype, GemmConfig config, String kernel, int[] geo) { return convKernel(dtype, config, kernel, geo, false); }

    /** A convolution kernel: on the tensor-core core when mma (the policy asks and the kernel is one it serves: forward, input gradient). */
    private ClKernel convKernel(DType dtype, GemmConfig config, String kernel, int[] geo, boolean mma) {
        String options = "";
        if (specialise()) {
            options = "-DCONV_STATIC=1 -DCONV_H=" + geo[1] + " -DCONV_W=" + geo[2] + " -DCONV_KH=" + geo[3] + " -DCONV_KW=" + geo[4]
                    + " -DCONV_OH=" + geo[5] + " -DCONV_OW=" + geo[6] + " -DCONV_SH=" + geo[7] + " -DCONV_SW=" + geo[8]
                    + " -DCONV_PH=" + geo[9] + " -DCONV_PW=" + geo[10] + " -DCONV_DH=" + geo[11] + " -DCONV_DW=" + geo[12];
        }
        if (mma) return b.programs().mma(mmaConfig(), b.precision() == Precision.TF32X3, kernel, options);
        return b.programs().conv(dtype, config, kernel, options);
    }

    /** The int16 geometry of gemm_conv_common.cl. */
    static int[] geometry(int[] x, int[] w, int oh, int ow, ConvSpec s) {
        int g = s.groups();
        return new int[]{x[1], x[2], x[3], w[2], w[3], oh, ow, s.strideH(), s.strideW(), s.padH(), s.padW(),
                s.dilationH(), s.dilationW(), x[1] / g, w[0] / g, w[0]};
    }

    private static void checkConv(String op, int[] x, int[] w, int[] y, ConvSpec s) {
        if (x.length != 4 || w.length != 4 || y.length != 4) throw new IllegalArgumentException("opencl " + op
                + ": expected rank-4 NCHW operands, got " + Shapes.str(x) + ", " + Shapes.str(w) + ", " + Shapes.str(y));
        int g = s.groups();
        if (x[1] % g != 0 || w[0] % g != 0 || w[1] != x[1] / g || y[1] != w[0] || y[0] != x[0]
                || y[2] != s.outH(x[2], w[2]) || y[3] != s.outW(x[3], w[3])) {
            throw new IllegalArgumentException("opencl " + op + ": input " + Shapes.str(x) + ", weight " + Shapes.str(w)
                    + " and output " + Shapes.str(y) + " do not fit " + s);
        }
    }

    void conv2d(View x, View w, View bias, View out, ConvSpec s) {
        b.requireContiguous("conv2d", x, w, bias, out);
        checkConv("conv2d", x.shape(), w.shape(), out.shape(), s);
        int[] geo = geometry(x.shape(), w.shape(), out.shape()[2], out.shape()[3], s);
        int g = s.groups();
        int m = w.shape()[0] / g, n = x.shape()[0] * out.shape()[2] * out.shape()[3], k = geo[13] * w.shape()[2] * w.shape()[3];
        if (out.numel() == 0) return;
        if (useWinograd(x.shape(), w.shape(), s)) { winograd(x, w, false, bias, out); return; }
        int[] pc = {bias == null ? 0 : 1, x.offset(), w.offset(), out.offset(), bias == null ? 0 : bias.offset()};
        boolean mma = onTensorCores(out.dtype());
        launch(convKernel(out.dtype(), "conv2d_forward", geo, mma), mma, out.dtype(), b.mem(w), b.mem(x), b.mem(out), bias == null ? b.mem(w) : b.mem(bias),
                g, m, n, k, geo, geo, pc, false, out.offset());
    }

    /** System property: "false" turns the Winograd path of the 3x3 forward and input gradient off (for comparisons). */
    static final String WINOGRAD_PROPERTY = "d4j.conv.winograd";

    /** Smallest channel counts (in and out) for which the Winograd path pays for its three extra launches. */
    static final int WINOGRAD_MIN_CHANNELS = 8;

    /**
     * Whether conv2d and its input gradient run as Winograd F(2x2, 3x3) (conv_winograd.cl): a 3x3 filter, stride 1, padding 1,
     * dilation 1, one group, and at least WINOGRAD_MIN_CHANNELS input and output channels. A function of the
     * shape only (and of the property), so the choice is the same on every device.
     */
    static boolean useWinograd(int[] x, int[] w, ConvSpec s) {
        if ("false".equalsIgnoreCase(System.getProperty(WINOGRAD_PROPERTY))) return false;
        return w[2] == 3 && w[3] == 3 && s.groups() == 1 && s.strideH() == 1 && s.strideW() == 1 && s.padH() == 1 && s.padW() == 1
                && s.dilationH() == 1 && s.dilationW() == 1 && x[1] >= WINOGRAD_MIN_CHANNELS && w[0] >= WINOGRAD_MIN_CHANNELS;
    }

    /**
     * Weight and input transforms, 16 GEMMs M[t] = U[t] V[t] on the GEMM core, output transform (+ bias).
     * The forward's weight transform is kept per weight version (WinogradFilters).
     * x has c channels, out o. For the forward, w is [o, c, 3, 3]; for the input gradient (transposed = true)
     * x is gradOut, out is gradIn and w is the forward's [c, o, 3, 3], used transposed and rotated.
     */
    /**
     * Backend#conv2dAdd where the convolution runs as Winograd: the additions in the output transform; false when it
     * does not (the caller then composes).
     */
    boolean conv2dAddFused(View x, View w, View bias, View sampleBias, View residual, View out, ConvSpec s) {
        b.requireContiguous("conv2dAdd", x, w, bias, residual, out);
        checkConv("conv2dAdd", x.shape(), w.shape(), out.shape(), s);
        if (out.numel() == 0 || !useWinograd(x.shape(), w.shape(), s)) return false;
        winograd(x, w, false, bias, sampleBias, residual, out);
        return true;
    }

    private void winograd(View x, View w, boolean transposed, View bias, View out) { winograd(x, w, transposed, bias, null, null, out); }

    private void winograd(View x, View w, boolean transposed, View bias, View sampleBias, View residual, View out) {
        DType dt = out.dtype();
        int n = x.shape()[0], c = x.shape()[1], h = x.shape()[2], wd = x.shape()[3], o = out.shape()[1];
        long p = (long) n * ((h + 1) / 2) * ((wd + 1) / 2);
        if (16 * p * Math.max(c, o) > Integer.MAX_VALUE) throw new IllegalArgumentException("opencl conv2d (Winograd): "
                + "transformed tiles of " + Shapes.str(x.shape()) + " exceed 2^31 elements; set -D" + WINOGRAD_PROPERTY + "=false");
        try (WinogradFilters.Filters filters = transposed ? WinogradFilters.transposed(b, w) : WinogradFilters.forward(b, w);
             ClStorage v = b.scratch(dt, 16 * p * c); ClStorage m = b.scratch(dt, 16 * p * o)) {
            ClStorage u = filters.u();
            b.programs().winograd(dt, "winograd_input").args().mem(b.mem(x)).i(x.offset()).i(n).i(c).i(h).i(wd).mem(v.mem()).run1d(p * c, 256);
            int pi = (int) p;
            launch(matmulKernel(dt), onTensorCores(dt), dt, u.mem(), v.mem(), m.mem(), m.mem(), 16, o, pi, c,
                    new int[]{0, o * c, c, 1}, new int[]{0, c * pi, pi, 1}, new int[]{0, o * pi, pi}, true, 0);
            b.programs().winograd(dt, "winograd_output").args().mem(m.mem()).i(n).i(o).i(h).i(wd).mem(b.mem(out)).i(out.offset())
                    .mem(bias == null ? b.mem(out) : b.mem(bias)).i(bias == null ? 0 : bias.offset()).i(bias == null ? 0 : 1)
                    .mem(sampleBias == null ? b.mem(out) : b.mem(sampleBias)).i(sampleBias == null ? 0 : sampleBias.offset())
                    .i(sampleBias == null ? 0 : sampleBias.strides()[0]).i(sampleBias == null ? 0 : sampleBias.strides()[1])
                    .i(sampleBias == null ? 0 : 1)
                    .mem(residual == null ? b.mem(out) : b.mem(residual)).i(residual == null ? 0 : residual.offset()).i(residual == null ? 0 : 1)
                    .run1d(p * o, 256);
        }
    }

    void conv2dBackwardInput(View gy, View w, View gx, ConvSpec s) {
        b.requireContiguous("conv2dBackwardInput", gy, w, gx);
        checkConv("conv2dBackwardInput", gx.shape(), w.shape(), gy.shape(), s);
        int[] geo = geometry(gx.shape(), w.shape(), gy.shape()[2], gy.shape()[3], s);
        int g = s.groups();
        int m = geo[13], n = gx.shape()[0] * gx.shape()[2] * gx.shape()[3], k = geo[14] * w.shape()[2] * w.shape()[3];
        if (gx.numel() == 0) return;
        if (useWinograd(gx.shape(), w.shape(), s)) { winograd(gy, w, true, null, gx); return; }
        int[] pc = {0, gy.offset(), w.offset(), gx.offset()};
        boolean mma = onTensorCores(gx.dtype());
        launch(convKernel(gx.dtype(), "conv2d_backward_input", geo, mma), mma, gx.dtype(), b.mem(w), b.mem(gy), b.mem(gx), b.mem(w), g, m, n, k, geo, geo, pc, false, gx.offset());
    }

    void conv2dBackwardWeight(View x, View gy, View gw, ConvSpec s) {
        b.requireContiguous("conv2dBackwardWeight", x, gy, gw);
        checkConv("conv2dBackwardWeight", x.shape(), gw.shape(), gy.shape(), s);
        int k = x.shape()[0] * gy.shape()[2] * gy.shape()[3];
        if (gw.numel() == 0) return;
        if (k == 0) { b.fill(gw, 0.0); return; }
        weightGradient.run(x, gy, gw, s);  // ConvWeightGradientOps picks Winograd, the few-outputs reduction or the implicit GEMM
    }
}
