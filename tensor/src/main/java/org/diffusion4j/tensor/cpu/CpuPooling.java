package org.diffusion4j.tensor.cpu;

import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.View;

/**
 * Average pooling (k x k window, stride k) and nearest-neighbour upsampling by an integer factor, with
 * their gradients, on contiguous NCHW. Planes (n, c) run in parallel; sums are in double in window order.
 */
final class CpuPooling {
    private CpuPooling() { }

    /** Checks that big is small scaled by f in H and W with the same N and C. */
    private static void check(String op, View big, View small, int f) {
        int[] b = big.shape(), s = small.shape();
        if (f < 1 || b.length != 4 || s.length != 4 || b[0] != s[0] || b[1] != s[1] || b[2] != s[2] * f || b[3] != s[3] * f)
            throw new IllegalArgumentException("cpu " + op + ": shapes " + Shapes.str(b) + " and " + Shapes.str(s)
                    + " do not differ by the factor " + f + " in H and W");
        if (!big.isContiguous() || !small.isContiguous()) throw new IllegalArgumentException("cpu " + op + ": operands must be contiguous");
    }

    static void avgPool2d(View x, View out, int k) {
        check("avgPool2d", x, out, k);
        double inv = 1.0 / ((double) k * k);
        perSmallPixel(x, out, k, (bigS, bigBase, bigW, smallS, smallIdx) -> {
            double s = 0;
            for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) s += Reductions.load(bigS, bigBase + i * bigW + j);
            Reductions.store(smallS, smallIdx, s * inv);
        });
    }

    static void avgPool2dBackward(View gradOut, View gradInput, int k) {
        check("avgPool2dBackward", gradInput, gradOut, k);
        double inv = 1.0 / ((double) k * k);
        perSmallPixel(gradInput, gradOut, k, (bigS, bigBase, bigW, smallS, smallIdx) -> {
            double g = Reductions.load(smallS, smallIdx) * inv;
            for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) Reductions.store(bigS, bigBase + i * bigW + j, g);
        });
    }

    static void upsampleNearest2d(View x, View out, int f) {
        check("upsampleNearest2d", out, x, f);
        perSmallPixel(out, x, f, (bigS, bigBase, bigW, smallS, smallIdx) -> {
            double v = Reductions.load(smallS, smallIdx);
            for (int i = 0; i < f; i++) for (int j = 0; j < f; j++) Reductions.store(bigS, bigBase + i * bigW + j, v);
        });
    }

    static void upsampleNearest2dBackward(View gradOut, View gradInput, int f) {
        check("upsampleNearest2dBackward", gradOut, gradInput, f);
        perSmallPixel(gradOut, gradInput, f, (bigS, bigBase, bigW, smallS, smallIdx) -> {
            double s = 0;
            for (int i = 0; i < f; i++) for (int j = 0; j < f; j++) s += Reductions.load(bigS, bigBase + i * bigW + j);
            Reductions.store(smallS, smallIdx, s);
        });
    }

    /** Work on one pixel of the small image and its f x f block in the big one (top-left at bigBase). */
    @FunctionalInterface
    private interface PixelBlock {
        void apply(CpuStorage big, int bigBase, int bigW, CpuStorage small, int smallIdx);
    }

    private static void perSmallPixel(View big, View small, int f, PixelBlock body) {
        CpuStorage bs = CpuStorage.of(big), ss = CpuStorage.of(small);
        int[] s = small.shape();
        int planes = s[0] * s[1], sh = s[2], sw = s[3], bw = sw * f;
        Parallel.forRange(planes, (long) sh * sw * f * f, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                for (int y = 0; y < sh; y++) {
                    for (int x = 0; x < sw; x++) {
                        int smallIdx = small.offset() + (p * sh + y) * sw + x;
                        int bigBase = big.offset() + (p * sh * f + y * f) * bw + x * f;
                        body.apply(bs, bigBase, bw, ss, smallIdx);
                    }
                }
            }
        });
    }
}
