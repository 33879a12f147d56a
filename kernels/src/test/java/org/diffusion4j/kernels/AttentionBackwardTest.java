package org.diffusion4j.kernels;

import org.diffusion4j.tensor.DType;
import org.junit.jupiter.api.Test;

import static org.diffusion4j.kernels.Parity.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The attention backward's two implementations (the blocked one of attention_backward.cl in each of its tile
 * sizes, and the plain one of attention.cl) against the CPU backend, and bitwise reproducibility.
 */
class AttentionBackwardTest {

    /** B, L, S, D, E: odd sizes, one row and one key, widths not a multiple of 4, several key blocks and query blocks. */
    private static final int[][] SHAPES = {{2, 17, 33, 8, 5}, {1, 1, 1, 3, 1}, {3, 33, 17, 16, 16}, {1, 70, 40, 4, 7},
            {2, 45, 37, 18, 130}, {1, 40, 70, 128, 128}, {2, 3, 65, 33, 17}};

    private static final String[] TILES = {"16,32", "8,16", "32,16", "8,32,v,u", "32,16,u", "plain"};

    @Test void theDefaultTilesMatchTheCpu() {
        for (DType t : dtypes()) check(t, SHAPES, "");
    }

    /** Every other tile size and the plain kernels, on the shapes that span several blocks (F32 only, to keep the builds few). */
    @Test void everyTileSizeAndThePlainKernelsMatchTheCpu() {
        int[][] shapes = {SHAPES[0], SHAPES[4], SHAPES[6]};
        for (String tiles : TILES) check(DType.F32, shapes, tiles);
    }

    private static void check(DType t, int[][] shapes, String tiles) {
        withTiles(tiles, () -> {
            long seed = 700;
            for (int[] s : shapes) {
                for (boolean masked : new boolean[]{false, true}) {
                    Pair[] r = run(t, seed, s, masked);
                    seed += 10;
                    String what = t + " tiles='" + tiles + "' B,L,S,D,E=" + java.util.Arrays.toString(s) + " mask=" + masked;
                    assertClose("attention dq " + what, r[0], accTol(t));
                    assertClose("attention dk " + what, r[1], accTol(t));
                    assertClose("attention dv " + what, r[2], accTol(t));
                }
            }
        });
    }

    @Test void sameInputsSameBits() {
        int[] s = {2, 45, 37, 18, 130};
        Pair[] a = run(DType.F32, 3, s, true), b = run(DType.F32, 3, s, true);
        for (int i = 0; i < 3; i++) assertBitwise("attention backward twice, gradient " + i, a[i].cl(), b[i].cl());
    }

    @Test void theBenchmarkHeadTakesTheBlockedPath() {
        AttentionOps.BackwardTiles t = new AttentionOps(cl()).blockedBackwardTiles(DType.F32, 128, 128);
        assertNotNull(t, "D = E = 128 should fit the blocked backward on " + cl().info().name());
        if (cl().info().localMemoryBytes() >= 48 * 1024) assertEquals("16,16,v", t.toString(), "the tiles measured fastest on the H200");
    }

    @Test void badTilesAreRejectedWithTheValue() {
        withTiles("16,32,x", () -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new AttentionOps(cl()).blockedBackwardTiles(DType.F32, 8, 8));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("'16,32,x'"), e.getMessage());
        });
        withTiles("12,32", () -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new AttentionOps(cl()).blockedBackwardTiles(DType.F32, 8, 8));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("'12,32'"), e.getMessage());
        });
    }

    /** {dq, dk, dv} on both backends, after a forward on random inputs (mask broadcast over the batch). */
    private static Pair[] run(DType t, long seed, int[] s, boolean masked) {
        int b = s[0], l = s[1], sl = s[2], d = s[3], e = s[4];
        Pair q = random(t, seed, b, l, d), k = random(t, seed + 1, b, sl, d), v = random(t, seed + 2, b, sl, e);
        Pair mask = masked ? random(t, seed + 3, -2.0, 0.0, 1, l, sl).map(m -> m.expand(b, l, sl)) : null;
        double scale = 1 / Math.sqrt(d);
        Pair out = poisoned(t, b, l, e), lse = poisoned(t, b, l);
        CPU.attention(q.cpu().view(), k.cpu().view(), v.cpu().view(), mask == null ? null : mask.cpu().view(), scale, out.cpu().view(), lse.cpu().view());
        cl().attention(q.cl().view(), k.cl().view(), v.cl().view(), mask == null ? null : mask.cl().view(), scale, out.cl().view(), lse.cl().view());
        Pair go = random(t, seed + 4, b, l, e);
        Pair gq = poisoned(t, b, l, d), gk = poisoned(t, b, sl, d), gv = poisoned(t, b, sl, e);
        CPU.attentionBackward(q.cpu().view(), k.cpu().view(), v.cpu().view(), mask == null ? null : mask.cpu().view(), scale,
                out.cpu().view(), lse.cpu().view(), go.cpu().view(), gq.cpu().view(), gk.cpu().view(), gv.cpu().view());
        cl().attentionBackward(q.cl().view(), k.cl().view(), v.cl().view(), mask == null ? null : mask.cl().view(), scale,
                out.cl().view(), lse.cl().view(), go.cl().view(), gq.cl().view(), gk.cl().view(), gv.cl().view());
        return new Pair[]{gq, gk, gv};
    }

    private static void withTiles(String tiles, Runnable body) {
        String before = System.getProperty(AttentionOps.BACKWARD_TILES_PROPERTY);
        if (tiles.isEmpty()) System.clearProperty(AttentionOps.BACKWARD_TILES_PROPERTY);
        else System.setProperty(AttentionOps.BACKWARD_TILES_PROPERTY, tiles);
        try {
            body.run();
        } finally {
            if (before == null) System.clearProperty(AttentionOps.BACKWARD_TILES_PROPERTY);
            else System.setProperty(AttentionOps.BACKWARD_TILES_PROPERTY, before);
        }
    }
}
