package org.diffusion4j.kernels;

import org.diffusion4j.tensor.DType;
import org.junit.jupiter.api.Test;

import static org.diffusion4j.kernels.Parity.*;

/** Fused attention (forward, backward) and group norm (with and without SiLU, backward) against the CPU. */
class AttentionNormParityTest {

    @Test void attentionForwardAndBackward() {
        int[][] shapes = {{2, 17, 33, 8, 5}, {1, 1, 1, 3, 1}, {3, 33, 17, 16, 16}, {1, 70, 40, 4, 7},
                {2, 45, 37, 18, 130}, {1, 40, 70, 128, 128}};  // B, L, S, D, E; the last two span several tiles and 4-vector columns
        for (DType t : dtypes()) {
            long seed = 400;
            for (int[] s : shapes) {
                for (boolean masked : new boolean[]{false, true}) {
                    int b = s[0], l = s[1], sl = s[2], d = s[3], e = s[4];
                    Pair q = random(t, seed++, b, l, d), k = random(t, seed++, b, sl, d), v = random(t, seed++, b, sl, e);
                    // a mask broadcast over the batch (stride 0)
                    Pair mask = masked ? random(t, seed++, -2.0, 0.0, 1, l, sl).map(m -> m.expand(b, l, sl)) : null;
                    double scale = 1 / Math.sqrt(d);
                    Pair out = poisoned(t, b, l, e), lse = poisoned(t, b, l);
                    CPU.attention(q.cpu().view(), k.cpu().view(), v.cpu().view(), mask == null ? null : mask.cpu().view(), scale,
                            out.cpu().view(), lse.cpu().view());
                    cl().attention(q.cl().view(), k.cl().view(), v.cl().view(), mask == null ? null : mask.cl().view(), scale,
                            out.cl().view(), lse.cl().view());
                    String what = t + " B,L,S,D,E=" + java.util.Arrays.toString(s) + " mask=" + masked;
                    assertClose("attention out " + what, out, accTol(t));
                    assertClose("attention lse " + what, lse, accTol(t));

                    Pair go = random(t, seed++, b, l, e);
                    Pair gq = poisoned(t, b, l, d), gk = poisoned(t, b, sl, d), gv = poisoned(t, b, sl, e);
                    CPU.attentionBackward(q.cpu().view(), k.cpu().view(), v.cpu().view(), mask == null ? null : mask.cpu().view(), scale,
                            out.cpu().view(), lse.cpu().view(), go.cpu().view(), gq.cpu().view(), gk.cpu().view(), gv.cpu().view());
                    cl().attentionBackward(q.cl().view(), k.cl().view(), v.cl().view(), mask == null ? null : mask.cl().view(), scale,
                            out.cl().view(), lse.cl().view(), go.cl().view(), gq.cl().view(), gk.cl().view(), gv.cl().view());
                    assertClose("attention dq " + what, gq, accTol(t));
                    assertClose("attention dk " + what, gk, accTol(t));
                    assertClose("attention dv " + what, gv, accTol(t));
                }
            }
        }
    }

    @Test void groupNormForwardWithAndWithoutSiluAndBackward() {
        int[][] shapes = {{2, 6, 17, 3}, {1, 3, 1, 1}, {3, 32, 7, 7}, {2, 4, 33}};
        int[] groups = {3, 1, 8, 2};
        for (DType t : dtypes()) {
            long seed = 500;
            for (int i = 0; i < shapes.length; i++) {
                int[] s = shapes[i];
                int g = groups[i], n = s[0], c = s[1];
                Pair x = random(t, seed++, -3, 5, s);
                for (boolean affine : new boolean[]{false, true}) {
                    Pair gamma = affine ? random(t, seed++, c) : null, beta = affine ? random(t, seed++, c) : null;
                    for (boolean silu : new boolean[]{false, true}) {
                        Pair out = poisoned(t, s), mean = poisoned(t, n, g), rstd = poisoned(t, n, g);
                        CPU.groupNorm(x.cpu().view(), affine ? gamma.cpu().view() : null, affine ? beta.cpu().view() : null, g, 1e-5, silu,
                                out.cpu().view(), mean.cpu().view(), rstd.cpu().view());
                        cl().groupNorm(x.cl().view(), affine ? gamma.cl().view() : null, affine ? beta.cl().view() : null, g, 1e-5, silu,
                                out.cl().view(), mean.cl().view(), rstd.cl().view());
                        String what = t + " " + java.util.Arrays.toString(s) + " G=" + g + " affine=" + affine + " silu=" + silu;
                        assertClose("groupNorm out " + what, out, accTol(t));
                        assertClose("groupNorm mean " + what, mean, accTol(t));
                        assertClose("groupNorm rstd " + what, rstd, accTol(t));
                        if (silu) continue;
                        Pair gy = random(t, seed++, s);
                        Pair gx = poisoned(t, s);
                        Pair gg = affine ? poisoned(t, c) : null, gb = affine ? poisoned(t, c) : null;
                        CPU.groupNormBackward(gy.cpu().view(), x.cpu().view(), affine ? gamma.cpu().view() : null, mean.cpu().view(),
                                rstd.cpu().view(), g, gx.cpu().view(), affine ? gg.cpu().view() : null, affine ? gb.cpu().view() : null);
                        cl().groupNormBackward(gy.cl().view(), x.cl().view(), affine ? gamma.cl().view() : null, mean.cl().view(),
                                rstd.cl().view(), g, gx.cl().view(), affine ? gg.cl().view() : null, affine ? gb.cl().view() : null);
                        assertClose("groupNormBackward dx " + what, gx, accTol(t));
                        if (affine) {
                            assertClose("groupNormBackward dgamma " + what, gg, accTol(t));
                            assertClose("groupNormBackward dbeta " + what, gb, accTol(t));
                        }
                    }
                }
            }
        }
    }
}
