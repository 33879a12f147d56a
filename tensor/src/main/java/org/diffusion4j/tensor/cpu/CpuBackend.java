package org.diffusion4j.tensor.cpu;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.BinaryOp;
import org.diffusion4j.tensor.ConvSpec;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Device;
import org.diffusion4j.tensor.RandomKind;
import org.diffusion4j.tensor.ReduceOp;
import org.diffusion4j.tensor.Storage;
import org.diffusion4j.tensor.UnaryOp;
import org.diffusion4j.tensor.View;

/**
 * The pure-Java reference backend: every primitive of {@link Backend}, in F32 and F64, on heap arrays.
 * Each family of primitives lives in its own small class (see the package); this class only dispatches.
 * Work runs synchronously on the calling thread and the shared pool of {@link Parallel}.
 */
public final class CpuBackend implements Backend {
    private static final CpuBackend INSTANCE = new CpuBackend();

    public static CpuBackend instance() { return INSTANCE; }

    private CpuBackend() { }

    @Override public Device device() { return Device.CPU; }

    @Override public String description() {
        return "pure-Java CPU (" + Parallel.threads() + " threads, " + System.getProperty("java.vm.name") + " "
                + Runtime.version() + ")";
    }

    @Override public boolean supports(DType dtype) { return dtype == DType.F32 || dtype == DType.F64; }

    // ---- memory

    @Override public Storage allocate(DType dtype, long n) { return new CpuStorage(dtype, n); }

    @Override public void write(Storage dst, long dstOffset, Object hostArray) {
        if (!(dst instanceof CpuStorage s)) throw new IllegalArgumentException("cpu write: storage " + dst + " is not a CPU storage");
        int length = switch (hostArray) {
            case float[] f when s.dtype() == DType.F32 -> f.length;
            case double[] d when s.dtype() == DType.F64 -> d.length;
            default -> throw new IllegalArgumentException("cpu write: a " + hostArray.getClass().getSimpleName()
                    + " cannot be written into " + s + " (F32 takes float[], F64 takes double[])");
        };
        if (dstOffset < 0 || dstOffset + length > s.size()) throw new IndexOutOfBoundsException("cpu write: "
                + length + " elements at offset " + dstOffset + " do not fit into " + s);
        if (s.dtype() == DType.F32) System.arraycopy(hostArray, 0, s.floats(), (int) dstOffset, length);
        else System.arraycopy(hostArray, 0, s.doubles(), (int) dstOffset, length);
    }

    @Override public Object read(View src) {
        CpuStorage s = CpuStorage.of(src);
        int n = (int) src.numel();
        if (src.isContiguous()) {
            if (s.dtype() == DType.F32) return java.util.Arrays.copyOfRange(s.floats(), src.offset(), src.offset() + n);
            return java.util.Arrays.copyOfRange(s.doubles(), src.offset(), src.offset() + n);
        }
        double[] d = new double[n];
        StridedLayout.of("read", src).gather(0, s, 0, n, d);
        if (s.dtype() == DType.F64) return d;
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) d[i];
        return f;
    }

    @Override public void synchronize() { }

    // ---- elementwise

    @Override public void copy(View src, View out) { Elementwise.copy(src, out); }

    @Override public void fill(View out, double value) { Elementwise.fill(out, value); }

    @Override public void unary(UnaryOp op, View x, View out, double a, double b) { Elementwise.unary(op, x, out, a, b); }

    @Override public void binary(BinaryOp op, View x, View y, View out) { Elementwise.binary(op, x, y, out); }

    @Override public void where(View cond, View x, View y, View out) { Elementwise.where(cond, x, y, out); }

    @Override public void linearCombination(double alpha, View x, double beta, View y, double gamma, View z, View out) {
        Elementwise.linearCombination(alpha, x, beta, y, gamma, z, out);
    }

    // ---- reductions

    @Override public void reduce(ReduceOp op, View x, View out) { Reductions.reduce(op, x, out); }

    @Override public void argmax(View x, int axis, View out) { Reductions.argmax(x, axis, out); }

    @Override public void softmax(View x, View out, boolean log) { Reductions.softmax(x, out, log); }

    // ---- linear algebra

    @Override public void matmul(View a, View b, View out) { CpuMatmul.matmul(a, b, out); }

    // ---- convolution and resampling

    @Override public void conv2d(View x, View weight, View bias, View out, ConvSpec spec) {
        CpuConv.conv2d(x, weight, bias, out, spec);
    }

    @Override public void conv2dBackwardInput(View gradOut, View weight, View gradInput, ConvSpec spec) {
        CpuConv.backwardInput(gradOut, weight, gradInput, spec);
    }

    @Override public void conv2dBackwardWeight(View x, View gradOut, View gradWeight, ConvSpec spec) {
        CpuConv.backwardWeight(x, gradOut, gradWeight, spec);
    }

    @Override public void avgPool2d(View x, View out, int k) { CpuPooling.avgPool2d(x, out, k); }

    @Override public void avgPool2dBackward(View gradOut, View gradInput, int k) { CpuPooling.avgPool2dBackward(gradOut, gradInput, k); }

    @Override public void upsampleNearest2d(View x, View out, int factor) { CpuPooling.upsampleNearest2d(x, out, factor); }

    @Override public void upsampleNearest2dBackward(View gradOut, View gradInput, int factor) {
        CpuPooling.upsampleNearest2dBackward(gradOut, gradInput, factor);
    }

    // ---- normalisation

    @Override public void groupNorm(View x, View gamma, View beta, int groups, double eps, boolean silu, View out, View mean, View rstd) {
        CpuNorm.forward(x, gamma, beta, groups, eps, silu, out, mean, rstd);
    }

    @Override public void groupNormBackward(View gradOut, View x, View gamma, View mean, View rstd, int groups,
                                            View gradInput, View gradGamma, View gradBeta) {
        CpuNorm.backward(gradOut, x, gamma, mean, rstd, groups, gradInput, gradGamma, gradBeta);
    }

    // ---- attention

    @Override public void attention(View q, View k, View v, View mask, double scale, View out, View logSumExp) {
        CpuAttention.forward(q, k, v, mask, scale, out, logSumExp);
    }

    @Override public void attentionBackward(View q, View k, View v, View mask, double scale, View out, View logSumExp,
                                            View gradOut, View gradQ, View gradK, View gradV) {
        CpuAttention.backward(q, k, v, mask, scale, out, logSumExp, gradOut, gradQ, gradK, gradV);
    }

    // ---- indexing

    @Override public void indexSelect(View x, int axis, int[] indices, View out) { CpuIndexing.indexSelect(x, axis, indices, out); }

    @Override public void indexAdd(View src, int axis, int[] indices, View out) { CpuIndexing.indexAdd(src, axis, indices, out); }

    // ---- random

    @Override public void random(RandomKind kind, View out, long seed, long firstStream, long rowLength) {
        CpuRandom.fill(kind, out, seed, firstStream, rowLength);
    }
}
