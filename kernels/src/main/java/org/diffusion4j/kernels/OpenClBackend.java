package org.diffusion4j.kernels;

import org.diffusion4j.kernels.runtime.BufferPool;
import org.diffusion4j.kernels.runtime.ClDeviceInfo;
import org.diffusion4j.kernels.runtime.ClException;
import org.diffusion4j.kernels.runtime.ClRuntime;
import org.diffusion4j.kernels.runtime.ClStorage;
import org.diffusion4j.kernels.runtime.KernelProfile;
import org.diffusion4j.kernels.runtime.TensorCores;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.BinaryOp;
import org.diffusion4j.tensor.ConvSpec;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Device;
import org.diffusion4j.tensor.Precision;
import org.diffusion4j.tensor.RandomKind;
import org.diffusion4j.tensor.ReduceOp;
import org.diffusion4j.tensor.Storage;
import org.diffusion4j.tensor.UnaryOp;
import org.diffusion4j.tensor.View;
import org.jocl.CL;
import org.jocl.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.List;
import java.util.Optional;

/**
 * The OpenCL backend: every primitive of the {@link Backend} SPI as an OpenCL C kernel, enqueued on one
 * in-order command queue. Calls return as soon as their kernels are enqueued, {@link #write} included
 * (it stages the host data in a direct buffer); only {@link #read} and {@link #synchronize} wait. Memory comes from a caching
 * {@link BufferPool}. A primitive that cannot run here throws; nothing falls back to the host.
 *
 * <p>Primitives are grouped by family in package-private helper classes (elementwise, reductions, GEMM and
 * convolution, attention, normalisation, layout, random); this class owns the device, memory and transfers.
 * Launches are serialised (the methods are synchronized): cl_kernel arguments are shared state.
 */
public final class OpenClBackend implements Backend {
    private final Device device;
    private final ClRuntime rt;
    private final Programs programs;
    private final ElementwiseOps elementwise;
    private final ReductionOps reductions;
    private final GemmOps gemm;
    private final AttentionOps attention;
    private final NormOps norms;
    private final LayoutOps layout;
    private volatile boolean closed;
    private final String tensorCoresMissing;
    private volatile Precision precision = Precision.STRICT;

    /** Opens device {@code info} (index numbered across platforms), profiling kernels if D4J_OPENCL_PROFILE asks for it. */
    public OpenClBackend(ClDeviceInfo info) { this(info, KernelProfile.requested()); }

    /** Opens device {@code info}; with {@code profileKernels}, {@link #kernelProfile()} records device time per kernel. */
    public OpenClBackend(ClDeviceInfo info, boolean profileKernels) {
        this.device = new Device("opencl", info.index());
        this.rt = new ClRuntime(info, profileKernels);
        this.programs = new Programs(rt);
        this.elementwise = new ElementwiseOps(this);
        this.reductions = new ReductionOps(this);
        this.gemm = new GemmOps(this);
        this.attention = new AttentionOps(this);
        this.norms = new NormOps(this);
        this.layout = new LayoutOps(this);
        this.tensorCoresMissing = TensorCores.unavailableReason(info);
    }

    // ---- precision policy ---------------------------------------------------------------------------

    /** strict everywhere; tf32 and 3xtf32 too on NVIDIA GPUs with TF32 tensor cores (compute capability 8.0+). */
    @Override public Set<Precision> supportedPrecisions() {
        return tensorCoresMissing == null ? EnumSet.allOf(Precision.class) : EnumSet.of(Precision.STRICT);
    }

    @Override public Precision precision() { return precision; }

    /** Chooses the policy of F32 matmul and convolutions; a tensor-core policy on a device without them throws. */
    @Override public synchronized void setPrecision(Precision p) {
        Objects.requireNonNull(p, "precision");
        if (!supportedPrecisions().contains(p)) {
            throw new IllegalArgumentException(Precision.refusal(description(), p, supportedPrecisions(),
                    "no TF32 tensor cores: " + tensorCoresMissing));
        }
        precision = p;
    }

    ClRuntime runtime() { return rt; }

    Programs programs() { return programs; }

    GemmOps gemmOps() { return gemm; }

    /** Device time per kernel name, when this backend was opened with profiling (see {@link KernelProfile}). */
    public Optional<KernelProfile> kernelProfile() { return Optional.ofNullable(rt.profile()); }

    /** The pool's statistics (bytes in use and cached). */
    public BufferPool.Stats poolStats() { return rt.pool().stats(); }

    /** Gives every cached buffer back to the driver. */
    public synchronized void trimPool() { rt.pool().trim(); }

    /**
     * Kernels enqueued on this device so far: the difference around a piece of work counts its launches
     * (e.g. per UNet-S forward, for the side-by-side benchmarks).
     */
    public synchronized long kernelLaunches() { return rt.launches(); }

    @Override public Device device() { return device; }

    @Override public String description() { return "opencl:" + device.index() + " " + rt.info().describe(); }

    /** The device's properties. */
    public ClDeviceInfo info() { return rt.info(); }

    @Override public boolean supports(DType dtype) { return dtype == DType.F32 || (dtype == DType.F64 && rt.info().fp64()); }

    void requireDtype(String op, DType dtype) {
        if (!supports(dtype)) throw new UnsupportedOperationException("opencl " + op + ": " + dtype + " needs cl_khr_fp64, which "
                + rt.info().name().trim() + " does not have");
    }

    // ---- memory -----------------------------------------------------------------------------------

    @Override public synchronized Storage allocate(DType dtype, long n) {
        requireDtype("allocate", dtype);
        if (n < 0) throw new IllegalArgumentException("opencl allocate: negative element count " + n);
        return new ClStorage(this, dtype, n, rt.pool());
    }

    /** The OpenCL buffer behind a view, after checking that this backend allocated it. */
    org.jocl.cl_mem mem(View v) { return mem(v.storage(), v.toString()); }

    private org.jocl.cl_mem mem(Storage storage, String what) {
        if (!(storage instanceof ClStorage s) || s.backend() != this) {
            throw new IllegalArgumentException("opencl:" + device.index() + " got an operand stored on "
                    + storage.backend().device() + " (" + what + "); move it with Tensor.to(backend)");
        }
        return s.mem();
    }

    /** A pooled temporary of n elements; close it right after enqueueing its last use (the queue is in order). */
    ClStorage scratch(DType dtype, long n) { return new ClStorage(this, dtype, Math.max(1, n), rt.pool()); }

    /**
     * Host data on its way to the device: a non-blocking write reads from a direct buffer that must live
     * until the write has run. They are dropped once the queue has drained (read, synchronize), or by a
     * wait here when more than {@link #MAX_PENDING_UPLOAD_BYTES} are outstanding.
     */
    private final List<ByteBuffer> pendingUploads = new ArrayList<>();
    private long pendingUploadBytes;
    private static final long MAX_PENDING_UPLOAD_BYTES = 256L << 20;

    /** Enqueues the copy without waiting: the data is first staged in a direct buffer the queue reads later. */
    @Override public synchronized void write(Storage dst, long dstOffset, Object hostArray) {
        org.jocl.cl_mem m = mem(dst, "write destination of " + dst.size() + " " + dst.dtype());
        written(dst);
        int n;
        ByteBuffer staging;
        if (hostArray instanceof float[] f && dst.dtype() == DType.F32) {
            n = f.length;
            staging = ByteBuffer.allocateDirect(Math.max(1, n) * 4).order(ByteOrder.nativeOrder());
            staging.asFloatBuffer().put(f);
        } else if (hostArray instanceof double[] d && dst.dtype() == DType.F64) {
            n = d.length;
            staging = ByteBuffer.allocateDirect(Math.max(1, n) * 8).order(ByteOrder.nativeOrder());
            staging.asDoubleBuffer().put(d);
        } else {
            throw new IllegalArgumentException("opencl write: a " + hostArray.getClass().getSimpleName()
                    + " cannot fill a " + dst.dtype() + " storage (expected " + (dst.dtype() == DType.F32 ? "float[]" : "double[]") + ")");
        }
        if (dstOffset < 0 || dstOffset + n > dst.size()) throw new IndexOutOfBoundsException("opencl write: " + n
                + " elements at offset " + dstOffset + " do not fit a storage of " + dst.size());
        if (n == 0) return;
        long es = dst.dtype().bytes();
        int code = CL.clEnqueueWriteBuffer(rt.queue(), m, CL.CL_FALSE, dstOffset * es, n * es, Pointer.to(staging), 0, null, null);
        ClException.check(code, "clEnqueueWriteBuffer", n * es + " bytes at byte offset " + dstOffset * es);
        pendingUploads.add(staging);
        pendingUploadBytes += n * es;
        if (pendingUploadBytes > MAX_PENDING_UPLOAD_BYTES) drain();
    }

    /** Waits for the queue and lets the staged uploads go. */
    private void drain() {
        rt.finish();
        pendingUploads.clear();
        pendingUploadBytes = 0;
    }

    @Override public synchronized Object read(View src) {
        int n = (int) src.numel();
        DType dtype = src.dtype();
        if (!src.isContiguous()) {
            try (ClStorage tmp = scratch(dtype, n)) {
                View dense = new View(tmp, src.shape(), org.diffusion4j.tensor.Shapes.contiguousStrides(src.shape()), 0);
                elementwise.copy(src, dense);
                return readContiguous(tmp.mem(), 0, n, dtype);
            }
        }
        return readContiguous(mem(src), src.offset(), n, dtype);
    }

    private Object readContiguous(org.jocl.cl_mem m, long offset, int n, DType dtype) {
        int es = dtype.bytes();
        Object out = dtype == DType.F32 ? new float[n] : new double[n];
        if (n == 0) return out;
        Pointer p = dtype == DType.F32 ? Pointer.to((float[]) out) : Pointer.to((double[]) out);
        int code = CL.clEnqueueReadBuffer(rt.queue(), m, CL.CL_TRUE, offset * es, (long) n * es, p, 0, null, null);
        ClException.check(code, "clEnqueueReadBuffer", (long) n * es + " bytes at byte offset " + offset * es);
        pendingUploads.clear();   // a blocking read on the in-order queue means every earlier write has run
        pendingUploadBytes = 0;
        return out;
    }

    @Override public synchronized void synchronize() { drain(); }

    // ---- elementwise ------------------------------------------------------------------------------

    @Override public synchronized void copy(View src, View out) { written(out); elementwise.copy(src, out); }

    @Override public synchronized void fill(View out, double value) { written(out); elementwise.fill(out, value); }

    @Override public synchronized void unary(UnaryOp op, View x, View out, double a, double b) { written(out); elementwise.unary(op, x, out, a, b); }

    @Override public synchronized void binary(BinaryOp op, View x, View y, View out) { written(out); elementwise.binary(op, x, y, out); }

    @Override public synchronized void where(View cond, View x, View y, View out) { written(out); elementwise.where(cond, x, y, out); }

    @Override public synchronized void adamStep(View p, View g, View m, View v, double l2, double beta1, double beta2,
                                                double stepSize, double invSqrtC2, double eps, double shrink) {
        written(p, m, v);
        if (!elementwise.adamStep(p, g, m, v, l2, beta1, beta2, stepSize, invSqrtC2, eps, shrink)) {
            Backend.super.adamStep(p, g, m, v, l2, beta1, beta2, stepSize, invSqrtC2, eps, shrink);   // strided views
        }
    }

    @Override public synchronized void linearCombination(double alpha, View x, double beta, View y, double gamma, View z, View out) {
        written(out);
        elementwise.linearCombination(alpha, x, beta, y, gamma, z, out);
    }

    // ---- reductions -------------------------------------------------------------------------------

    @Override public synchronized void reduce(ReduceOp op, View x, View out) { written(out); reductions.reduce(op, x, out); }

    @Override public synchronized void argmax(View x, int axis, View out) { written(out); reductions.argmax(x, axis, out); }

    @Override public synchronized void softmax(View x, View out, boolean log) { written(out); reductions.softmax(x, out, log); }

    // ---- linear algebra and convolution -----------------------------------------------------------

    @Override public synchronized void matmul(View a, View b, View out) { written(out); gemm.matmul(a, b, out); }

    /** The additions and SiLU in the GEMM's epilogue (gemm_matmul_add.cl); composed on this device under a tensor-core policy. */
    @Override public synchronized void matmulAdd(View a, View b, View bias, View residual, boolean silu, View out) {
        written(out);
        if (!gemm.matmulAdd(a, b, bias, residual, silu, out)) Backend.super.matmulAdd(a, b, bias, residual, silu, out);
    }

    @Override public synchronized void conv2d(View x, View weight, View bias, View out, ConvSpec spec) { written(out); gemm.conv2d(x, weight, bias, out, spec); }

    /** Fused into the Winograd output transform where the convolution takes that path; else the SPI's composition. */
    @Override public synchronized void conv2dAdd(View x, View weight, View bias, View sampleBias, View residual, View out, ConvSpec spec) {
        written(out);
        if (!gemm.conv2dAddFused(x, weight, bias, sampleBias, residual, out, spec)) Backend.super.conv2dAdd(x, weight, bias, sampleBias, residual, out, spec);
    }

    /** A 1x1 convolution reads both inputs (gemm_matmul_concat); other geometries take the SPI's composition. */
    @Override public synchronized void conv2dConcat(View x1, View x2, View weight, View bias, View out, ConvSpec spec) {
        written(out);
        if (!gemm.conv2dConcat(x1, x2, weight, bias, out, spec)) Backend.super.conv2dConcat(x1, x2, weight, bias, out, spec);
    }

    @Override public synchronized void conv2dBackwardInput(View gradOut, View weight, View gradInput, ConvSpec spec) {
        written(gradInput);
        gemm.conv2dBackwardInput(gradOut, weight, gradInput, spec);
    }

    @Override public synchronized void conv2dBackwardWeight(View x, View gradOut, View gradWeight, ConvSpec spec) {
        written(gradWeight);
        gemm.conv2dBackwardWeight(x, gradOut, gradWeight, spec);
    }

    @Override public synchronized void avgPool2d(View x, View out, int k) { written(out); layout.avgPool2d(x, out, k); }

    @Override public synchronized void avgPool2dBackward(View gradOut, View gradInput, int k) { written(gradInput); layout.avgPool2dBackward(gradOut, gradInput, k); }

    @Override public synchronized void upsampleNearest2d(View x, View out, int factor) { written(out); layout.upsample(x, out, factor); }

    @Override public synchronized void upsampleNearest2dBackward(View gradOut, View gradInput, int factor) {
        written(gradInput);
        layout.upsampleBackward(gradOut, gradInput, factor);
    }

    // ---- normalisation and attention ---------------------------------------------------------------

    @Override public synchronized void groupNorm(View x, View gamma, View beta, int groups, double eps, boolean silu,
                                                 View out, View mean, View rstd) {
        written(out, mean, rstd);
        norms.groupNorm(x, gamma, beta, groups, eps, silu, out, mean, rstd);
    }

    @Override public synchronized void groupNormConcat(View x1, View x2, View gamma, View beta, int groups, double eps, boolean silu, View out) {
        written(out);
        norms.groupNormConcat(x1, x2, gamma, beta, groups, eps, silu, out);
    }

    @Override public synchronized void groupNormBackward(View gradOut, View x, View gamma, View mean, View rstd, int groups,
                                                         View gradInput, View gradGamma, View gradBeta) {
        written(gradInput, gradGamma, gradBeta);
        norms.groupNormBackward(gradOut, x, gamma, mean, rstd, groups, gradInput, gradGamma, gradBeta);
    }

    @Override public synchronized void attention(View q, View k, View v, View mask, double scale, View out, View logSumExp) {
        written(out, logSumExp);
        attention.forward(q, k, v, mask, scale, out, logSumExp);
    }

    @Override public synchronized void attentionBackward(View q, View k, View v, View mask, double scale, View out, View logSumExp,
                                                         View gradOut, View gradQ, View gradK, View gradV) {
        written(gradQ, gradK, gradV);
        attention.backward(q, k, v, mask, scale, out, logSumExp, gradOut, gradQ, gradK, gradV);
    }

    // ---- indexing and random ----------------------------------------------------------------------

    @Override public synchronized void indexSelect(View x, int axis, int[] indices, View out) { written(out); layout.indexSelect(x, axis, indices, out); }

    @Override public synchronized void indexAdd(View src, int axis, int[] indices, View out) { written(out); layout.indexAdd(src, axis, indices, out); }

    @Override public synchronized void random(RandomKind kind, View out, long seed, long firstStream, long rowLength) {
        requireContiguous("random", out);
        written(out);
        if (rowLength < 1) throw new IllegalArgumentException("opencl random: rowLength must be >= 1, got " + rowLength);
        long n = out.numel();
        if (n == 0) return;
        programs.random(out.dtype()).args().mem(mem(out)).i(out.offset()).l(n).i(kind.ordinal())
                .i((int) seed).i((int) (seed >>> 32)).l(firstStream).l(rowLength).run1d(n, 256);
    }

    /**
     * Records that a primitive writes these operands (nulls skipped): their storages get a new version and drop
     * what was derived from the old contents (WinogradFilters). Every primitive with an output calls it.
     */
    private static void written(View... outs) {
        for (View v : outs) if (v != null) written(v.storage());
    }

    private static void written(Storage s) {
        if (s instanceof ClStorage c) c.markWritten();
    }

    void requireContiguous(String op, View... views) {
        for (View v : views) {
            if (v != null && !v.isContiguous()) throw new IllegalArgumentException("opencl " + op + " needs contiguous operands, got " + v);
        }
    }

    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        rt.close();
    }
}
