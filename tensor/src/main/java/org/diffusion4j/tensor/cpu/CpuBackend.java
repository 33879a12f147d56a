package org.diffusion4j.tensor.cpu;

import org.diffusion4j.tensor.*;

/** The pure-Java reference backend. STUB: being implemented. */
public final class CpuBackend implements Backend {
    private static final CpuBackend INSTANCE = new CpuBackend();
    public static CpuBackend instance() { return INSTANCE; }
    private CpuBackend() { }
    @Override public Device device() { throw new UnsupportedOperationException("cpu: device not yet implemented"); }
    @Override public String description() { throw new UnsupportedOperationException("cpu: description not yet implemented"); }
    @Override public boolean supports(DType dtype) { throw new UnsupportedOperationException("cpu: supports not yet implemented"); }
    @Override public Storage allocate(DType dtype, long n) { throw new UnsupportedOperationException("cpu: allocate not yet implemented"); }
    @Override public void write(Storage dst, long dstOffset, Object hostArray) { throw new UnsupportedOperationException("cpu: write not yet implemented"); }
    @Override public Object read(View src) { throw new UnsupportedOperationException("cpu: read not yet implemented"); }
    @Override public void synchronize() { throw new UnsupportedOperationException("cpu: synchronize not yet implemented"); }
    @Override public void copy(View src, View out) { throw new UnsupportedOperationException("cpu: copy not yet implemented"); }
    @Override public void fill(View out, double value) { throw new UnsupportedOperationException("cpu: fill not yet implemented"); }
    @Override public void unary(UnaryOp op, View x, View out, double a, double b) { throw new UnsupportedOperationException("cpu: unary not yet implemented"); }
    @Override public void binary(BinaryOp op, View x, View y, View out) { throw new UnsupportedOperationException("cpu: binary not yet implemented"); }
    @Override public void where(View cond, View x, View y, View out) { throw new UnsupportedOperationException("cpu: where not yet implemented"); }
    @Override public void linearCombination(double alpha, View x, double beta, View y, double gamma, View z, View out) { throw new UnsupportedOperationException("cpu: linearCombination not yet implemented"); }
    @Override public void reduce(ReduceOp op, View x, View out) { throw new UnsupportedOperationException("cpu: reduce not yet implemented"); }
    @Override public void argmax(View x, int axis, View out) { throw new UnsupportedOperationException("cpu: argmax not yet implemented"); }
    @Override public void softmax(View x, View out, boolean log) { throw new UnsupportedOperationException("cpu: softmax not yet implemented"); }
    @Override public void matmul(View a, View b, View out) { throw new UnsupportedOperationException("cpu: matmul not yet implemented"); }
    @Override public void conv2d(View x, View weight, View bias, View out, ConvSpec spec) { throw new UnsupportedOperationException("cpu: conv2d not yet implemented"); }
    @Override public void conv2dBackwardInput(View gradOut, View weight, View gradInput, ConvSpec spec) { throw new UnsupportedOperationException("cpu: conv2dBackwardInput not yet implemented"); }
    @Override public void conv2dBackwardWeight(View x, View gradOut, View gradWeight, ConvSpec spec) { throw new UnsupportedOperationException("cpu: conv2dBackwardWeight not yet implemented"); }
    @Override public void avgPool2d(View x, View out, int k) { throw new UnsupportedOperationException("cpu: avgPool2d not yet implemented"); }
    @Override public void avgPool2dBackward(View gradOut, View gradInput, int k) { throw new UnsupportedOperationException("cpu: avgPool2dBackward not yet implemented"); }
    @Override public void upsampleNearest2d(View x, View out, int factor) { throw new UnsupportedOperationException("cpu: upsampleNearest2d not yet implemented"); }
    @Override public void upsampleNearest2dBackward(View gradOut, View gradInput, int factor) { throw new UnsupportedOperationException("cpu: upsampleNearest2dBackward not yet implemented"); }
    @Override public void groupNorm(View x, View gamma, View beta, int groups, double eps, boolean silu, View out, View mean, View rstd) { throw new UnsupportedOperationException("cpu: groupNorm not yet implemented"); }
    @Override public void groupNormBackward(View gradOut, View x, View gamma, View mean, View rstd, int groups, View gradInput, View gradGamma, View gradBeta) { throw new UnsupportedOperationException("cpu: groupNormBackward not yet implemented"); }
    @Override public void attention(View q, View k, View v, View mask, double scale, View out, View logSumExp) { throw new UnsupportedOperationException("cpu: attention not yet implemented"); }
    @Override public void attentionBackward(View q, View k, View v, View mask, double scale, View out, View logSumExp, View gradOut, View gradQ, View gradK, View gradV) { throw new UnsupportedOperationException("cpu: attentionBackward not yet implemented"); }
    @Override public void indexSelect(View x, int axis, int[] indices, View out) { throw new UnsupportedOperationException("cpu: indexSelect not yet implemented"); }
    @Override public void indexAdd(View src, int axis, int[] indices, View out) { throw new UnsupportedOperationException("cpu: indexAdd not yet implemented"); }
    @Override public void random(RandomKind kind, View out, long seed, long firstStream, long rowLength) { throw new UnsupportedOperationException("cpu: random not yet implemented"); }
}
