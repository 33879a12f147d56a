package org.diffusion4j.nn;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

/**
 * Multi-head self-attention over a sequence x [N, L, E] (Vaswani et al. 2017, Sec. 3.2):
 * <pre>
 *   q, k, v = x W_q^T + b_q, x W_k^T + b_k, x W_v^T + b_v          [N, L, E], split into heads of d = E / heads
 *   a_head = softmax(q_head k_head^T / sqrt(d) + M) v_head
 *   out = concat_heads(a) W_o^T + b_o
 * </pre>
 * M is 0 everywhere when bidirectional; when causal, M[i][j] = -inf for j > i, so position i sees only positions
 * 0..i (an autoregressive model). The fused attention primitive does the softmax and its backward; no L x L
 * matrix is built on the tape. No residual: the transformer block adds it.
 */
public final class SequenceSelfAttention extends Module implements UnaryModule {
    private final int width, heads;
    private final boolean causal;
    private final Linear q, k, v, out;

    public SequenceSelfAttention(int width, int heads, boolean causal) {
        if (width < 1 || heads < 1 || width % heads != 0) throw new IllegalArgumentException("SequenceSelfAttention: heads ("
                + heads + ") must divide the width (" + width + ")");
        this.width = width;
        this.heads = heads;
        this.causal = causal;
        this.q = register("q", new Linear(width, width));
        this.k = register("k", new Linear(width, width));
        this.v = register("v", new Linear(width, width));
        this.out = register("out", new Linear(width, width));
    }

    public boolean causal() { return causal; }

    public int heads() { return heads; }

    @Override public Variable forward(Variable x) { return forward(x, null); }

    /**
     * With an additive mask on the keys as well (a {@link KeyPaddingMask} [N heads, 1, L], or anything broadcasting
     * to [N heads, L, L]); null for none. A causal layer adds its causal mask to it.
     */
    public Variable forward(Variable x, Tensor keyMask) {
        int[] s = x.shape();
        if (s.length != 3 || s[2] != width) throw new IllegalArgumentException("SequenceSelfAttention(" + width
                + "): expected x of shape [N, L, " + width + "], got " + java.util.Arrays.toString(s));
        int n = s[0], l = s[1], d = width / heads;
        Tensor mask = causal ? causalMask(x.backend(), x.dtype(), l) : null;
        if (keyMask != null) mask = mask == null ? keyMask : keyMask.add(mask);
        Variable a = Variable.attention(split(q.forward(x), n, l, d), split(k.forward(x), n, l, d),
                split(v.forward(x), n, l, d), mask, 1.0 / Math.sqrt(d));                   // [N heads, L, d]
        Variable merged = heads == 1 ? a : a.reshape(n, heads, l, d).permute(0, 2, 1, 3).reshape(n, l, width);
        return out.forward(merged);
    }

    /** [N, L, E] -> [N heads, L, d]: head h holds features [h d, (h + 1) d). */
    private Variable split(Variable t, int n, int l, int d) {
        if (heads == 1) return t;
        return t.reshape(n, l, heads, d).permute(0, 2, 1, 3).reshape(n * heads, l, d);
    }

    /** The additive causal mask [1, L, L]: 0 on and below the diagonal, -inf above. */
    public static Tensor causalMask(Backend backend, DType dtype, int length) {
        double[] m = new double[length * length];
        for (int i = 0; i < length; i++) for (int j = i + 1; j < length; j++) m[i * length + j] = Double.NEGATIVE_INFINITY;
        return Tensor.of(backend, dtype, m, 1, length, length);
    }
}
