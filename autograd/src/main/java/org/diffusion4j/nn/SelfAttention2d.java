package org.diffusion4j.nn;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Tensor;

import java.util.List;

/**
 * Self-attention over the H*W positions of a feature map, as in the DDPM UNet (Ho et al. 2020): one head,
 * h = GN(x); q, k, v = 1x1 convs of h; a = softmax(q k^T / sqrt(C)) v; out = x + proj(a) with a 1x1 conv.
 * Parameters: 2C (norm) + 4 (C^2 + C) (q, k, v, proj).
 *
 * <p>Without a recorded gradient (sampling) the 1x1 convolutions run as GEMMs in the token layout the attention
 * kernel reads: q, k and v as one batched GEMM over the three weights joined ({@link ConcatenatedParameters}, kept
 * while they do not change) that writes [3, N, H*W, C] directly, and the projection as one GEMM that reads the
 * attention's [N, H*W, C] output transposed and adds its bias and the residual x in its epilogue. That removes two
 * GEMMs, the four layout copies between channel and token order, and the residual add. A 1x1 convolution is this
 * product, so the values are the same (bitwise where the GEMM does not split K). Training keeps the convolutions.
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
        this.qkvWeights = new ConcatenatedParameters(List.of(q.weight(), k.weight(), v.weight()));
        this.qkvBiases = new ConcatenatedParameters(List.of(q.bias(), k.bias(), v.bias()));
    }

    private final ConcatenatedParameters qkvWeights, qkvBiases;

    @Override public Variable forward(Variable x) {
        int[] s = x.shape();
        if (s.length != 4 || s[1] != channels) throw new IllegalArgumentException("SelfAttention2d(" + channels
                + "): expected [N, " + channels + ", H, W], got " + java.util.Arrays.toString(s));
        int n = s[0], c = s[1], positions = s[2] * s[3];
        if (!NoGrad.isRecording()) return Variable.constant(forwardAsGemms(x.value(), n, c, positions, s[2], s[3]));
        Variable h = norm.forward(x);
        Variable qs = tokens(q.forward(h), n, c, positions);
        Variable ks = tokens(k.forward(h), n, c, positions);
        Variable vs = tokens(v.forward(h), n, c, positions);
        Variable a = Variable.attention(qs, ks, vs, null, 1.0 / Math.sqrt(c));
        Variable back = a.permute(0, 2, 1).reshape(n, c, s[2], s[3]);
        return x.add(proj.forward(back));
    }

    /** The forward without a tape: q, k, v in one GEMM, the projection with bias and residual in another. */
    private Tensor forwardAsGemms(Tensor x, int n, int c, int positions, int height, int width) {
        Tensor h = norm.forward(Variable.constant(x)).value();
        Tensor tokens = h.reshape(n, c, positions).permute(0, 2, 1).unsqueeze(0);            // [1, N, P, C], a view
        Tensor wt = qkvWeights.get().reshape(3, 1, c, c).transpose(2, 3);                     // W_j^T [3, 1, C_in, C_out]
        Tensor qkv = tokens.matmulAdd(wt, qkvBiases.get().reshape(3, 1, 1, c), null, false);  // [3, N, P, C]
        Tensor a = Variable.attention(Variable.constant(token(qkv, 0, n, positions, c)), Variable.constant(token(qkv, 1, n, positions, c)),
                Variable.constant(token(qkv, 2, n, positions, c)), null, 1.0 / Math.sqrt(c)).value();   // [N, P, C]
        // proj(a)[n, o, p] = sum_c W[o, c] a[n, p, c] + b[o], plus x: [C, C] @ a^T [N, C, P] with the additions in the epilogue
        Tensor out = proj.weight().value().reshape(c, c).matmulAdd(a.permute(0, 2, 1), proj.bias().value().reshape(c, 1),
                x.reshape(n, c, positions), false);
        return out.reshape(n, c, height, width);
    }

    /** Part j of [3, N, P, C]: a contiguous [N, P, C] view. */
    private static Tensor token(Tensor qkv, int j, int n, int positions, int c) {
        return qkv.narrow(0, j, 1).reshape(n, positions, c);
    }

    /** [N, C, H, W] -> [N, H*W, C]: one token per position. */
    private static Variable tokens(Variable t, int n, int c, int positions) {
        return t.reshape(n, c, positions).permute(0, 2, 1);
    }
}
