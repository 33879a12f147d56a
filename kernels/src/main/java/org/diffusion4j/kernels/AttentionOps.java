package org.diffusion4j.kernels;

import org.diffusion4j.kernels.runtime.ClKernel;
import org.diffusion4j.kernels.runtime.ClStorage;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.View;

/**
 * Flash-style attention: the register-blocked forward (attention_forward.cl) and backward (attention_backward.cl)
 * where their tiles fit, else the plain kernels of attention.cl; specialised per head width and tile size.
 */
final class AttentionOps {
    private final OpenClBackend b;

    AttentionOps(OpenClBackend b) { this.b = b; }

    private record Geometry(int batch, int l, int s, int d, int e) { }

    private static Geometry check(View q, View k, View v, View mask) {
        int[] qs = q.shape(), ks = k.shape(), vs = v.shape();
        if (qs.length != 3 || ks.length != 3 || vs.length != 3 || ks[0] != qs[0] || vs[0] != qs[0] || ks[2] != qs[2] || vs[1] != ks[1]) {
            throw new IllegalArgumentException("opencl attention: q " + Shapes.str(qs) + ", k " + Shapes.str(ks) + ", v "
                    + Shapes.str(vs) + " do not fit [B, L, D], [B, S, D], [B, S, E]");
        }
        if (mask != null && !java.util.Arrays.equals(mask.shape(), new int[]{qs[0], qs[1], ks[1]})) {
            throw new IllegalArgumentException("opencl attention: mask " + Shapes.str(mask.shape()) + " must be expanded to ["
                    + qs[0] + ", " + qs[1] + ", " + ks[1] + "]");
        }
        return new Geometry(qs[0], qs[1], ks[1], qs[2], vs[2]);
    }

    /** Tile sizes (query rows, key rows) and work-group size of the attention kernels for one head geometry. */
    private record Tiles(int tq, int tkv, int wg) { }

    /**
     * The largest tiles (up to 32 x 32 query x key rows) whose staged rows fit the device's local memory in
     * the hungriest kernel (the dK/dV one, which holds Q, dO, K, V tiles and two TKV x TQ blocks).
     */
    private Tiles tiles(DType dtype, int d, int e) {
        long budget = b.info().localMemoryBytes() - 1024;
        int tq = 32, tkv = 32;
        while (localBytes(tq, tkv, d, e, dtype) > budget && (tq > 1 || tkv > 1)) {
            if (tkv >= tq && tkv > 1) tkv /= 2; else tq /= 2;
        }
        if (localBytes(tq, tkv, d, e, dtype) > budget) throw new UnsupportedOperationException("opencl attention: head widths D="
                + d + ", E=" + e + " do not fit the " + b.info().localMemoryBytes() + " bytes of local memory of " + b.info().name().trim());
        int wg = (int) Math.min(128, Long.highestOneBit(b.info().maxWorkGroupSize()));
        return new Tiles(tq, tkv, wg);
    }

    private static long localBytes(int tq, int tkv, int d, int e, DType dtype) {
        long elements = (long) (tq + tkv) * (d + 1 + e + 1) + 2L * tkv * (tq + 1) + 2L * tq;
        return elements * dtype.bytes();
    }

    /** System property that fixes the blocked forward's tiles for tuning: "TQ,TKV", e.g. "32,32". */
    static final String FORWARD_TILES_PROPERTY = "d4j.attention.forwardTiles";

    /** Work-group shape of attention_forward.cl (TX x TY items): TQ must be a multiple of 8, TKV of 16. */
    private static final int BLOCKED_TX = 16, BLOCKED_TY = 8;

    /**
     * Tiles (query rows, key rows) of the register-blocked forward: 32 x 32 where they fit the device's local
     * memory, else smaller; null when even 8 x 16 does not fit or the device cannot run 128 items per group
     * (then the plain forward of attention.cl runs, which shrinks its tiles down to one row).
     */
    private Tiles blockedForwardTiles(DType dtype, int d, int e) {
        if (b.info().maxWorkGroupSize() < BLOCKED_TX * BLOCKED_TY) return null;
        String override = System.getProperty(FORWARD_TILES_PROPERTY);
        long budget = b.info().localMemoryBytes() - 1024;
        int[][] candidates = {{32, 32}, {32, 16}, {16, 16}, {8, 16}};
        if (override != null && !override.isBlank()) {
            String[] p = override.trim().split(",");
            int tq = p.length == 2 ? Integer.parseInt(p[0].trim()) : -1, tkv = p.length == 2 ? Integer.parseInt(p[1].trim()) : -1;
            if (tq % BLOCKED_TY != 0 || tkv % BLOCKED_TX != 0 || tq < 1 || tkv < 1) {
                throw new IllegalArgumentException(FORWARD_TILES_PROPERTY + "='" + override + "': expected TQ,TKV with TQ a multiple of "
                        + BLOCKED_TY + " and TKV a multiple of " + BLOCKED_TX);
            }
            candidates = new int[][]{{tq, tkv}};
        }
        for (int[] c : candidates) {
            if (blockedForwardBytes(c[0], c[1], d, e, dtype) <= budget) return new Tiles(c[0], c[1], BLOCKED_TX * BLOCKED_TY);
        }
        return null;
    }

    /** Local memory of attention_forward.cl: Q tile, the shared K/V tile (rows of 4-vectors, one vector of padding), P, row stats. */
    private static long blockedForwardBytes(int tq, int tkv, int d, int e, DType dtype) {
        long dv = (d + 3) / 4, ev = (e + 3) / 4;
        long elements = tq * (dv + 1) * 4 + tkv * (Math.max(dv, ev) + 1) * 4 + (long) tq * (tkv + 1) + 3L * tq;
        return elements * dtype.bytes();
    }

    private ClKernel kernel(DType dt, Geometry g, Tiles t, String name) {
        return b.programs().attention(dt, g.d, g.e, t.tq, t.tkv, t.wg, name);
    }

    private ClKernel common(ClKernel k, View q, View kk, View v, View mask, double scale, Geometry g) {
        View m = mask == null ? q : mask;
        int[] ms = mask == null ? new int[]{0, 0, 0} : mask.strides();
        return k.args().mem(b.mem(q)).i(q.offset()).mem(b.mem(kk)).i(kk.offset()).mem(b.mem(v)).i(v.offset())
                .mem(b.mem(m)).i(m.offset()).i(ms[0]).i(ms[1]).i(ms[2]).i(mask == null ? 0 : 1).real(scale).i(g.l).i(g.s);
    }

    void forward(View q, View k, View v, View mask, double scale, View out, View lse) {
        b.requireContiguous("attention", q, k, v, out, lse);
        Geometry g = check(q, k, v, mask);
        if (out.numel() == 0) return;
        Tiles blocked = blockedForwardTiles(q.dtype(), g.d, g.e);
        Tiles t = blocked != null ? blocked : tiles(q.dtype(), g.d, g.e);
        ClKernel kernel = blocked != null ? b.programs().attentionForwardBlocked(q.dtype(), g.d, g.e, t.tq, t.tkv)
                : kernel(q.dtype(), g, t, "attention_forward");
        View lseOrOut = lse == null ? out : lse;
        common(kernel, q, k, v, mask, scale, g)
                .mem(b.mem(out)).i(out.offset()).mem(b.mem(lseOrOut)).i(lseOrOut.offset()).i(lse == null ? 0 : 1)
                .run3d((long) (g.l + t.tq - 1) / t.tq * t.wg, g.batch, 1, t.wg, 1, 1);
    }

    /**
     * System property that fixes the blocked backward's tiles for tuning, "TQ,TKV" with optional flags ",v" (stage V in
     * local memory) and ",u" (unroll the dot products by 4), e.g. "16,16,v"; or "plain" for the two-kernel backward.
     */
    static final String BACKWARD_TILES_PROPERTY = "d4j.attention.backwardTiles";

    /** Tiles and build variant of the blocked backward (attention_backward.cl). */
    record BackwardTiles(int tq, int tkv, boolean stageV, boolean unroll) {
        String options() { return " -DTQ=" + tq + " -DTKV=" + tkv + (stageV ? " -DSTAGE_V=1" : "") + (unroll ? " -DUNROLL_DOTS=1" : ""); }

        @Override public String toString() { return tq + "," + tkv + (stageV ? ",v" : "") + (unroll ? ",u" : ""); }
    }

    /**
     * The blocked backward's default candidates, best first. Measured on an H200 (2026-12-03, BackwardTimings, B=128
     * L=196 D=128): 16,16,v 0.572 ms; 8,32,v 0.658; 32,16 0.884; 16,32 1.308; the plain kernels 1.477 (the ",u"
     * unrolled variants within 7% either way). Staging V pays although it forces smaller tiles.
     */
    private static final BackwardTiles[] BACKWARD_CANDIDATES = {new BackwardTiles(16, 16, true, false),
            new BackwardTiles(8, 32, true, false), new BackwardTiles(32, 16, false, false),
            new BackwardTiles(16, 32, false, false), new BackwardTiles(8, 16, false, false)};

    /**
     * Tiles of the blocked backward (16 x 8 items): the first candidate whose staged tiles fit the device's local
     * memory; null when none fits, the device cannot run 128 items per group or the property asks for "plain"
     * (then the two-kernel backward of attention.cl runs, which shrinks its tiles down to one row).
     */
    BackwardTiles blockedBackwardTiles(DType dtype, int d, int e) {
        if (b.info().maxWorkGroupSize() < BLOCKED_TX * BLOCKED_TY || d < 1 || e < 1) return null;
        String override = System.getProperty(BACKWARD_TILES_PROPERTY);
        long budget = b.info().localMemoryBytes() - 1024;
        BackwardTiles[] candidates = BACKWARD_CANDIDATES;
        if (override != null && !override.isBlank()) {
            if (override.trim().equalsIgnoreCase("plain")) return null;
            candidates = new BackwardTiles[]{parseBackwardTiles(override)};
        }
        for (BackwardTiles c : candidates) {
            if (blockedBackwardBytes(c, d, e, dtype) <= budget) return c;
        }
        return null;
    }

    private static BackwardTiles parseBackwardTiles(String s) {
        String[] p = s.trim().split(",");
        int tq = -1, tkv = -1;
        boolean v = false, u = false, ok = p.length >= 2;
        try {
            if (ok) { tq = Integer.parseInt(p[0].trim()); tkv = Integer.parseInt(p[1].trim()); }
        } catch (NumberFormatException e) {
            ok = false;
        }
        for (int i = 2; ok && i < p.length; i++) {
            String f = p[i].trim();
            if (f.equals("v")) v = true; else if (f.equals("u")) u = true; else ok = false;
        }
        if (!ok || tq < 1 || tkv < 1 || tq % BLOCKED_TY != 0 || tkv % BLOCKED_TX != 0) {
            throw new IllegalArgumentException(BACKWARD_TILES_PROPERTY + "='" + s + "': expected \"plain\" or TQ,TKV[,v][,u] with TQ a multiple of "
                    + BLOCKED_TY + " and TKV a multiple of " + BLOCKED_TX);
        }
        return new BackwardTiles(tq, tkv, v, u);
    }

    /** Local memory of attention_backward.cl: K, Q, dO (and V) tiles as padded rows of 4-vectors, P and dS tiles, two row values. */
    private static long blockedBackwardBytes(BackwardTiles t, int d, int e, DType dtype) {
        long dv = (d + 3) / 4, ev = (e + 3) / 4;
        long elements = (t.tkv + t.tq) * (dv + 1) * 4 + (t.tq + (t.stageV ? t.tkv : 0)) * (ev + 1) * 4 + 2L * t.tq * (t.tkv + 1) + 2L * t.tq;
        return elements * dtype.bytes();
    }

    void backward(View q, View k, View v, View mask, double scale, View out, View lse, View gradOut,
                  View gq, View gk, View gv) {
        b.requireContiguous("attentionBackward", q, k, v, out, lse, gradOut, gq, gk, gv);
        Geometry g = check(q, k, v, mask);
        if (lse == null) throw new IllegalArgumentException("opencl attentionBackward needs the forward pass's logSumExp");
        BackwardTiles blocked = blockedBackwardTiles(q.dtype(), g.d, g.e);
        if (blocked == null) { plainBackward(q, k, v, mask, scale, out, lse, gradOut, gq, gk, gv, g); return; }
        DType dt = q.dtype();
        int keyBlocks = (g.s + blocked.tkv - 1) / blocked.tkv;
        long rows = (long) g.batch * g.l;
        try (ClStorage delta = b.scratch(dt, rows); ClStorage dqPart = b.scratch(dt, keyBlocks * rows * g.d)) {
            if (rows > 0) {
                b.programs().attentionBackwardBlocked(dt, g.d, g.e, blocked.options(), "attention_backward_delta").args()
                        .mem(b.mem(out)).i(out.offset()).mem(b.mem(gradOut)).i(gradOut.offset()).i((int) rows).mem(delta.mem())
                        .run1d(rows, 128);
            }
            if (keyBlocks > 0 && g.batch > 0) {
                common(b.programs().attentionBackwardBlocked(dt, g.d, g.e, blocked.options(), "attention_backward_blocked"), q, k, v, mask, scale, g)
                        .mem(b.mem(lse)).i(lse.offset()).mem(b.mem(gradOut)).i(gradOut.offset()).mem(delta.mem())
                        .mem(b.mem(gk)).i(gk.offset()).mem(b.mem(gv)).i(gv.offset()).mem(dqPart.mem())
                        .run3d((long) keyBlocks * BLOCKED_TX * BLOCKED_TY, g.batch, 1, BLOCKED_TX * BLOCKED_TY, 1, 1);
            }
            if (rows > 0) {
                long total = rows * g.d;
                b.programs().attentionBackwardBlocked(dt, g.d, g.e, blocked.options(), "attention_backward_dq_sum").args()
                        .mem(dqPart.mem()).i(keyBlocks).i((int) total).real(scale).mem(b.mem(gq)).i(gq.offset())
                        .run1d(total, 256);
            }
        }
    }

    /** The two-kernel backward of attention.cl (dQ per query tile, dK and dV per key tile), for head widths the blocked one cannot stage. */
    private void plainBackward(View q, View k, View v, View mask, double scale, View out, View lse, View gradOut,
                               View gq, View gk, View gv, Geometry g) {
        Tiles t = tiles(q.dtype(), g.d, g.e);
        try (ClStorage delta = b.scratch(q.dtype(), (long) g.batch * g.l)) {
            if (g.l > 0) {
                common(kernel(q.dtype(), g, t, "attention_backward_q"), q, k, v, mask, scale, g)
                        .mem(b.mem(out)).i(out.offset()).mem(b.mem(lse)).i(lse.offset()).mem(b.mem(gradOut)).i(gradOut.offset())
                        .mem(b.mem(gq)).i(gq.offset()).mem(delta.mem())
                        .run3d((long) (g.l + t.tq - 1) / t.tq * t.wg, g.batch, 1, t.wg, 1, 1);
            }
            if (g.s > 0) {
                common(kernel(q.dtype(), g, t, "attention_backward_kv"), q, k, v, mask, scale, g)
                        .mem(b.mem(lse)).i(lse.offset()).mem(b.mem(gradOut)).i(gradOut.offset()).mem(delta.mem())
                        .mem(b.mem(gk)).i(gk.offset()).mem(b.mem(gv)).i(gv.offset())
                        .run3d((long) (g.s + t.tkv - 1) / t.tkv * t.wg, g.batch, 1, t.wg, 1, 1);
            }
        }
    }
}
