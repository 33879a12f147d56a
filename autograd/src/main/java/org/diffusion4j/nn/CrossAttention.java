package org.diffusion4j.nn;

import org.diffusion4j.autograd.Variable;

/**
 * Cross-attention from a feature map to a context sequence, as in the latent-diffusion UNet (Rombach et al. 2022,
 * Sec. 3.3): the queries come from the map's H*W positions, the keys and values from the context's S tokens:
 * <pre>
 *   h = GN(x);  q = Conv1x1(h) as [N, H*W, C];  k = context W_k^T, v = context W_v^T  [N, S, C]
 *   a_head = softmax(q_head k_head^T / sqrt(C / heads)) v_head   per head, on C / heads channels
 *   out = x + Conv1x1(a)
 * </pre>
 * x is [N, C, H, W], the context [N, S, E] with any S (the fused attention primitive takes a key length different
 * from the query length). W_k and W_v are bias-free, as in Stable Diffusion. Parameters: 2C (norm) +
 * 2 (C^2 + C) (q, proj) + 2 E C (k, v).
 */
public final class CrossAttention extends Module {
    private final int channels, contextWidth, heads;
    private final GroupNorm norm;
    private final Conv2d q, proj;
    private final Linear k, v;

    /**
     * @param channels     C, the feature map's channels
     * @param contextWidth E, the width of a context token
     * @param heads        the number of heads; must divide C
     * @param groups       the group norm's groups; must divide C
     */
    public CrossAttention(int channels, int contextWidth, int heads, int groups) {
        if (channels < 1 || contextWidth < 1) throw new IllegalArgumentException("CrossAttention needs channels >= 1 and "
                + "context width >= 1, got " + channels + " and " + contextWidth);
        if (heads < 1 || channels % heads != 0) throw new IllegalArgumentException("CrossAttention: heads must divide the "
                + channels + " channels, got " + heads);
        this.channels = channels;
        this.contextWidth = contextWidth;
        this.heads = heads;
        this.norm = register("norm", new GroupNorm(groups, channels, 1e-5));
        this.q = register("q", new Conv2d(channels, channels, 1, 1, 0));
        this.k = register("k", new Linear(contextWidth, channels, false));
        this.v = register("v", new Linear(contextWidth, channels, false));
        this.proj = register("proj", new Conv2d(channels, channels, 1, 1, 0));
    }

    /**
     * @param x       the feature map [N, C, H, W]
     * @param context the context sequence [N, S, E]
     */
    public Variable forward(Variable x, Variable context) { return forward(x, context, null); }

    /**
     * @param x       the feature map [N, C, H, W]
     * @param context the context sequence [N, S, E]
     * @param keyMask an additive mask on the context's tokens ({@link KeyPaddingMask} [N heads, 1, S]), or null for none
     */
    public Variable forward(Variable x, Variable context, org.diffusion4j.tensor.Tensor keyMask) {
        int[] s = x.shape(), cs = context.shape();
        if (s.length != 4 || s[1] != channels) throw new IllegalArgumentException("CrossAttention(" + channels
                + "): expected x of shape [N, " + channels + ", H, W], got " + java.util.Arrays.toString(s));
        if (cs.length != 3 || cs[0] != s[0] || cs[2] != contextWidth) throw new IllegalArgumentException("CrossAttention: "
                + "expected a context of shape [" + s[0] + ", S, " + contextWidth + "], got " + java.util.Arrays.toString(cs));
        int n = s[0], c = s[1], positions = s[2] * s[3], tokens = cs[1], d = c / heads;
        Variable qs = splitHeads(q.forward(norm.forward(x)).reshape(n, c, positions).permute(0, 2, 1), n, positions, d);
        Variable ks = splitHeads(k.forward(context), n, tokens, d);
        Variable vs = splitHeads(v.forward(context), n, tokens, d);
        Variable a = Variable.attention(qs, ks, vs, keyMask, 1.0 / Math.sqrt(d));   // [N heads, H*W, d]
        Variable merged = a.reshape(n, heads, positions, d).permute(0, 1, 3, 2).reshape(n, c, s[2], s[3]);
        return x.add(proj.forward(merged));
    }

    /** [N, L, C] -> [N heads, L, d]: head h holds channels [h d, (h + 1) d). */
    private Variable splitHeads(Variable t, int n, int length, int d) {
        if (heads == 1) return t;
        return t.reshape(n, length, heads, d).permute(0, 2, 1, 3).reshape(n * heads, length, d);
    }

    public int heads() { return heads; }
}
