package org.diffusion4j.kernels;

import org.diffusion4j.kernels.runtime.ClKernel;
import org.diffusion4j.kernels.runtime.ClStorage;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.View;

/** Flash-style attention and its two-kernel backward (attention.cl), specialised per head width and tile size. */
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
        Tiles t = tiles(q.dtype(), g.d, g.e);
        View lseOrOut = lse == null ? out : lse;
        common(kernel(q.dtype(), g, t, "attention_forward"), q, k, v, mask, scale, g)
                .mem(b.mem(out)).i(out.offset()).mem(b.mem(lseOrOut)).i(lseOrOut.offset()).i(lse == null ? 0 : 1)
                .run3d((long) (g.l + t.tq - 1) / t.tq * t.wg, g.batch, 1, t.wg, 1, 1);
    }

    void backward(View q, View k, View v, View mask, double scale, View out, View lse, View gradOut,
                  View gq, View gk, View gv) {
        b.requireContiguous("attentionBackward", q, k, v, out, lse, gradOut, gq, gk, gv);
        Geometry g = check(q, k, v, mask);
        if (lse == null) throw new IllegalArgumentException("opencl attentionBackward needs the forward pass's logSumExp");
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
