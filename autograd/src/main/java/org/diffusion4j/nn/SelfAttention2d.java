package org.diffusion4j.nn;

import org.diffusion4j.autograd.Variable;

/**
 * Self-attention over the H*W positions of a feature map, as in the DDPM UNet (Ho et al. 2020): one head,
 * h = GN(x); q, k, v = 1x1 convs of h; a = softmax(q k^T / sqrt(C)) v; out = x + proj(a) with a 1x1 conv.
 * Parameters: 2C (norm) + 4 (C^2 + C) (q, k, v, proj).
 */
public final class SelfAttention2d extends Module implements UnaryModule {
    private final int channels;
    private final GroupNorm norm;
    private final Conv2d q, k, v, proj;

    /** With GN32 (32 groups, eps 1e-5). */
    public SelfAttention2d(int channels) { this(channels, 32); }

    public SelfAttention2d(int channels, int groups) {
        this.channels = channels;
        this.norm = register("norm", new GroupNorm(groups, channels, 1e-5));
        this.q = register("q", new Conv2d(channels, channels, 1, 1, 0));
        this.k = register("k", new Conv2d(channels, channels, 1, 1, 0));
        this.v = register("v", new Conv2d(channels, channels, 1, 1, 0));
        this.proj = register("proj", new Conv2d(channels, channels, 1, 1, 0));
    }

    @Override public Variable forward(Variable x) {
        int[] s = x.shape();
        if (s.length != 4 || s[1] != channels) throw new IllegalArgumentException("SelfAttention2d(" + channels
                + "): expected [N, " + channels + ", H, W], got " + java.util.Arrays.toString(s));
        int n = s[0], c = s[1], positions = s[2] * s[3];
        Variable h = norm.forward(x);
        Variable qs = tokens(q.forward(h), n, c, positions);
        Variable ks = tokens(k.forward(h), n, c, positions);
        Variable vs = tokens(v.forward(h), n, c, positions);
        Variable a = Variable.attention(qs, ks, vs, null, 1.0 / Math.sqrt(c));
        Variable back = a.permute(0, 2, 1).reshape(n, c, s[2], s[3]);
        return x.add(proj.forward(back));
    }

    /** [N, C, H, W] -> [N, H*W, C]: one token per position. */
    private static Variable tokens(Variable t, int n, int c, int positions) {
        return t.reshape(n, c, positions).permute(0, 2, 1);
    }
}
