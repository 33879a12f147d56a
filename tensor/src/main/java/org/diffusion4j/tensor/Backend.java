package org.diffusion4j.tensor;

/**
 * The primitives a device implements. Everything else in the engine (broadcasting, views, composite ops
 * such as var or log-softmax's backward, autograd) is built once above this interface, so a new backend
 * stays small.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Operands are {@link View}s of storages that this backend allocated; all operands of one call
 *       share one dtype unless the method says otherwise. The caller (the {@link Tensor} layer) has
 *       already checked shapes, dtypes and devices and has expanded broadcast operands to the output's
 *       shape with stride 0.</li>
 *   <li>Elementwise inputs may have any strides; outputs are written through their strides and never
 *       alias an input unless the method says so. Methods marked "contiguous" require
 *       {@link View#isContiguous()} operands; the Tensor layer copies first where needed.</li>
 *   <li>Asynchrony: a call may enqueue work and return; only {@link #read} waits. Results of
 *       consecutive calls are as if executed in call order.</li>
 *   <li>Determinism: the same inputs give bitwise the same outputs on the same device: reductions run in
 *       a fixed order and no floating-point atomics are used.</li>
 *   <li>A primitive a backend cannot run throws {@link UnsupportedOperationException} naming it; it never
 *       falls back silently to another device.</li>
 * </ul>
 */
public interface Backend extends AutoCloseable {

    /** The device this backend drives. */
    Device device();

    /** A one-line human description, e.g. "NVIDIA H100 80GB HBM3 (OpenCL 3.0 CUDA, 132 CUs, 79.1 GiB)". */
    String description();

    /** Whether tensors of this dtype can live here (F64 needs cl_khr_fp64 on OpenCL). */
    boolean supports(DType dtype);

    // ---- memory -------------------------------------------------------------------------------------

    /** A new storage of n elements with unspecified contents. */
    Storage allocate(DType dtype, long n);

    /** Copies host data (a {@code float[]} for F32, a {@code double[]} for F64) into dst starting at element dstOffset. */
    void write(Storage dst, long dstOffset, Object hostArray);

    /** Reads a view into a new row-major host array ({@code float[]} or {@code double[]}); waits for pending work. */
    Object read(View src);

    /** Waits until all enqueued work has finished. */
    void synchronize();

    // ---- elementwise ---------------------------------------------------------------------------------

    /** out = src, converting the dtype when they differ (the one primitive that may mix dtypes). */
    void copy(View src, View out);

    /** out[...] = value. */
    void fill(View out, double value);

    /** out = op(x; a, b). */
    void unary(UnaryOp op, View x, View out, double a, double b);

    /** out = op(x, y); x and y already have out's shape (broadcast by zero strides). */
    void binary(BinaryOp op, View x, View y, View out);

    /** out = cond != 0 ? x : y, all four with out's shape. */
    void where(View cond, View x, View y, View out);

    /**
     * out = alpha * x + beta * y + gamma * z, all with out's shape; z may be null (gamma ignored).
     * One fused pass: the update of every sampler step.
     */
    void linearCombination(double alpha, View x, double beta, View y, double gamma, View z, View out);

    // ---- reductions -----------------------------------------------------------------------------------

    /**
     * Reduces x over every axis where out's extent is 1 and x's is not (out has x's rank: keepdim form).
     * MEAN divides by the number of reduced elements.
     */
    void reduce(ReduceOp op, View x, View out);

    /** out (x's shape with axis set to 1) = index of the first maximum along axis, stored as a number of out's dtype. */
    void argmax(View x, int axis, View out);

    /** Softmax (or log-softmax) over the last axis. */
    void softmax(View x, View out, boolean log);

    // ---- linear algebra -------------------------------------------------------------------------------

    /**
     * Batched matrix product out[..., m, n] = sum_k a[..., m, k] * b[..., k, n]. The three views have the
     * same rank &gt;= 2 and identical batch extents (broadcast batches arrive with stride 0); a and b may be
     * transposed views (any strides), out is contiguous.
     */
    void matmul(View a, View b, View out);

    /**
     * out = ((matmul(a, b) + bias) + residual), then SiLU when {@code silu}: the Linear layer's bias and activation, and
     * a residual connection, in one call. a, b and out as for {@link #matmul}; bias and residual (either may be null)
     * have out's shape with any strides (zero strides broadcast: Linear's bias [N] arrives as [..., M, N] with strides
     * 0 except the last). This default runs matmul, then the additions and the SiLU in place, the reference of the
     * fused form; a backend that fuses them into the GEMM's epilogue (OpenCL) does the same operations on the same
     * values in the same order, so the bits are the same.
     */
    default void matmulAdd(View a, View b, View bias, View residual, boolean silu, View out) {
        matmul(a, b, out);
        if (bias != null) binary(BinaryOp.ADD, out, bias, out);
        if (residual != null) binary(BinaryOp.ADD, out, residual, out);
        if (silu) unary(UnaryOp.SILU, out, out, 0, 0);
    }

    // ---- convolution (contiguous NCHW operands) -----------------------------------------------------------

    /** out[n, o] = bias[o] + sum over the group's input channels and the kernel window. bias may be null. */
    void conv2d(View x, View weight, View bias, View out, ConvSpec spec);

    /** gradInput = d(sum(conv2d(x, w) * gradOut))/dx, written (not accumulated) into gradInput of x's shape. */
    void conv2dBackwardInput(View gradOut, View weight, View gradInput, ConvSpec spec);

    /** gradWeight = d(sum(conv2d(x, w) * gradOut))/dw, written into gradWeight of w's shape. */
    void conv2dBackwardWeight(View x, View gradOut, View gradWeight, ConvSpec spec);

    /**
     * conv2d followed by two optional additions: out = (conv2d(x, weight, bias) + sampleBias[n, o]) + residual[n, o, h, w],
     * sampleBias [N, O] (any strides) broadcast over H, W, residual contiguous of out's shape; either may be null. For the
     * ResBlock's time-embedding add and its residual connection. This default runs conv2d and then the additions in
     * place; a backend that fuses them into the convolution's epilogue (OpenCL's Winograd output transform) does the
     * same additions in the same order, so the bits are the same.
     */
    default void conv2dAdd(View x, View weight, View bias, View sampleBias, View residual, View out, ConvSpec spec) {
        conv2d(x, weight, bias, out, spec);
        int[] s = out.shape();
        if (sampleBias != null) {
            View wide = new View(sampleBias.storage(), s, new int[]{sampleBias.strides()[0], sampleBias.strides()[1], 0, 0}, sampleBias.offset());
            binary(BinaryOp.ADD, out, wide, out);
        }
        if (residual != null) binary(BinaryOp.ADD, out, residual, out);
    }

    /**
     * conv2d of concat(x1, x2) along the channel axis without materialising the concatenation: the UNet's up path, whose
     * ResBlocks read concat(h, skip). x1 [N, C1, H, W] and x2 [N, C2, H, W] contiguous, weight [O, C1 + C2, KH, KW].
     * This default concatenates into a temporary and convolves (the reference); OpenCL reads both inputs in a 1x1
     * convolution's GEMM. Reading two inputs is local to the two consumers of the concatenation (this and
     * {@link #groupNormConcat}); the other way, each producer writing into its channel slice of one buffer, would need
     * every producer kernel to write with a batch stride and the buffers allocated before the down path.
     */
    default void conv2dConcat(View x1, View x2, View weight, View bias, View out, ConvSpec spec) {
        try (Storage tmp = allocate(out.dtype(), x1.numel() + x2.numel())) {
            conv2d(concatChannels(tmp, x1, x2), weight, bias, out, spec);
        }
    }

    /**
     * groupNorm (+ SiLU), forward only and without statistics, of concat(x1, x2) along the channel axis, read from the two
     * contiguous inputs [N, C1, *] and [N, C2, *]; out is [N, C1 + C2, *]. Groups may straddle the two inputs. This
     * default concatenates into a temporary (the reference); OpenCL reads both inputs in one kernel.
     */
    default void groupNormConcat(View x1, View x2, View gamma, View beta, int groups, double eps, boolean silu, View out) {
        try (Storage tmp = allocate(out.dtype(), x1.numel() + x2.numel())) {
            groupNorm(concatChannels(tmp, x1, x2), gamma, beta, groups, eps, silu, out, null, null);
        }
    }

    /** concat(x1, x2) along axis 1 written into tmp (the defaults above); returns it as a contiguous view. */
    private View concatChannels(Storage tmp, View x1, View x2) {
        int[] s = x1.shape().clone();
        s[1] += x2.shape()[1];
        int[] st = Shapes.contiguousStrides(s);
        copy(x1, new View(tmp, x1.shape(), st, 0));
        copy(x2, new View(tmp, x2.shape(), st, x1.shape()[1] * st[1]));
        return new View(tmp, s, st, 0);
    }

    /** Average pooling with a k x k window and stride k (no padding), contiguous NCHW. */
    void avgPool2d(View x, View out, int k);

    /** Gradient of {@link #avgPool2d}: each input cell gets gradOut / k^2 of its window. */
    void avgPool2dBackward(View gradOut, View gradInput, int k);

    /** Nearest-neighbour upsampling by an integer factor, contiguous NCHW. */
    void upsampleNearest2d(View x, View out, int factor);

    /** Gradient of {@link #upsampleNearest2d}: sums each factor x factor block of gradOut. */
    void upsampleNearest2dBackward(View gradOut, View gradInput, int factor);

    // ---- normalisation -----------------------------------------------------------------------------------

    /**
     * Group normalisation of contiguous x [N, C, *] in G groups: out = (x - mean) * rstd * gamma[c] + beta[c],
     * then SiLU when {@code silu}. gamma and beta ([C]) may be null (1 and 0). mean and rstd ([N, G])
     * receive the statistics for the backward pass (may be null when not needed). Variance is biased.
     */
    void groupNorm(View x, View gamma, View beta, int groups, double eps, boolean silu, View out, View mean, View rstd);

    /**
     * Gradients of {@link #groupNorm} without SiLU. gradGamma and gradBeta ([C]) may be null; they are
     * written, not accumulated.
     */
    void groupNormBackward(View gradOut, View x, View gamma, View mean, View rstd, int groups,
                           View gradInput, View gradGamma, View gradBeta);

    // ---- attention -----------------------------------------------------------------------------------------

    /**
     * Scaled dot-product attention, contiguous: q [B, L, D], k [B, S, D], v [B, S, E] give
     * out [B, L, E] = softmax(q k^T * scale + mask) v, with the optional additive mask [B, L, S] (zero
     * strides allowed for broadcasting). logSumExp [B, L] receives each row's log-sum-exp of the scaled
     * logits (for the backward pass; may be null).
     */
    void attention(View q, View k, View v, View mask, double scale, View out, View logSumExp);

    /** Gradients of {@link #attention} from the saved out and logSumExp; all gradients are written. */
    void attentionBackward(View q, View k, View v, View mask, double scale, View out, View logSumExp, View gradOut,
                           View gradQ, View gradK, View gradV);

    // ---- indexing ----------------------------------------------------------------------------------------------

    /** out = x.index_select(axis, indices); out's extent along axis is indices.length. */
    void indexSelect(View x, int axis, int[] indices, View out);

    /**
     * Gradient of {@link #indexSelect}: out (x's shape) = 0, then out[..., indices[i], ...] += src[..., i, ...],
     * accumulated in order of i (deterministic).
     */
    void indexAdd(View src, int axis, int[] indices, View out);

    // ---- random -------------------------------------------------------------------------------------------------

    /**
     * Fills contiguous out from Philox4x32-10 keyed by seed. Element e belongs to row r = e / rowLength
     * (column c = e % rowLength); it is a pure function of (seed, firstStream + r, c), so that a batch of
     * any size gives sample r the same numbers. See {@link Philox} for the exact mapping.
     */
    void random(RandomKind kind, View out, long seed, long firstStream, long rowLength);

    // ---- optimisers ---------------------------------------------------------------------------------------------

    /**
     * One Adam step of one parameter, in place (Kingma and Ba 2015, Algorithm 1, in PyTorch's form; the decoupled
     * weight decay of AdamW, Loshchilov and Hutter 2019, enters as {@code shrink}):
     * <pre>
     *   g' = g + l2 * p
     *   m  = beta1 * m + (1 - beta1) * g'
     *   v  = beta2 * v + (1 - beta2) * g'^2
     *   p  = shrink * p - stepSize * m / (sqrt(v) * invSqrtC2 + eps)
     * </pre>
     * with stepSize = lr / (1 - beta1^t) and invSqrtC2 = 1 / sqrt(1 - beta2^t). p, m and v are updated; all four
     * views have p's shape. This default composes the primitives above, a handful of passes with one temporary;
     * a backend where every launch costs (OpenCL) does it in one pass.
     */
    default void adamStep(View p, View g, View m, View v, double l2, double beta1, double beta2, double stepSize,
                          double invSqrtC2, double eps, double shrink) {
        try (Storage tmpStorage = allocate(p.dtype(), p.numel())) {
            View tmp = new View(tmpStorage, p.shape(), Shapes.contiguousStrides(p.shape()), 0);
            View grad = g;
            if (l2 != 0) {
                linearCombination(1, g, l2, p, 0, null, tmp);
                grad = tmp;
            }
            linearCombination(beta1, m, 1 - beta1, grad, 0, null, m);
            unary(UnaryOp.SQUARE, grad, tmp, 0, 0);
            linearCombination(beta2, v, 1 - beta2, tmp, 0, null, v);
            unary(UnaryOp.SQRT, v, tmp, 0, 0);
            unary(UnaryOp.AFFINE, tmp, tmp, invSqrtC2, eps);
            binary(BinaryOp.DIV, m, tmp, tmp);
            linearCombination(shrink, p, -stepSize, tmp, 0, null, p);
        }
    }

    /** The precision policies this backend can honour; {@link Precision#STRICT} always. */
    default java.util.Set<Precision> supportedPrecisions() { return java.util.EnumSet.of(Precision.STRICT); }

    /** The policy F32 matmul and convolutions run under now (see {@link Precision}). */
    default Precision precision() { return Precision.STRICT; }

    /**
     * Chooses the precision policy for F32 matmul and convolutions from now on.
     *
     * @throws IllegalArgumentException when this backend does not support it (naming the device and the
     *                                  policies it supports); there is no fallback
     */
    default void setPrecision(Precision precision) {
        java.util.Objects.requireNonNull(precision, "precision");
        if (!supportedPrecisions().contains(precision)) {
            throw new IllegalArgumentException(Precision.refusal(description(), precision, supportedPrecisions(),
                    "tensor-core policies need an NVIDIA GPU of compute capability 8.0 or newer through the opencl backend"));
        }
    }

    @Override default void close() { }
}
