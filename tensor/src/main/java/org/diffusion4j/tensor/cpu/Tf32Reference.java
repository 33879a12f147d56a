package org.diffusion4j.tensor.cpu;

import org.diffusion4j.tensor.ConvSpec;
import org.diffusion4j.tensor.Precision;

/**
 * The CPU reference for the tensor-core precision policies: TF32 rounding exactly as PTX
 * {@code cvt.rna.tf32.f32} does it, and plain-loop matmul and convolutions (F64 accumulation) on the
 * operands each policy actually multiplies. GPU results under {@code tf32} and {@code 3xtf32} are tested
 * against these, never against themselves.
 *
 * <p>What each policy multiplies, per pair of F32 inputs (a, b):
 * <ul>
 *   <li>strict: a * b (this class then is the F64 reference of the F32 inputs);</li>
 *   <li>tf32: tf32(a) * tf32(b) (a product of two 11-bit significands, exact in F32 and in F64);</li>
 *   <li>3xtf32: hi(a) lo(b) + lo(a) hi(b) + hi(a) hi(b) with hi(x) = tf32(x), lo(x) = tf32(x - hi(x))
 *       (x - hi(x) is exact in F32; the lo*lo term, about 2^-22 |ab|, is dropped).</li>
 * </ul>
 * The GPU accumulates in F32 where this class accumulates in F64, so the two differ by at most about
 * K * 2^-24 * sum_k |a_k b_k| (the worst case of K roundings); tests state their tolerance from that.
 */
public final class Tf32Reference {
    private Tf32Reference() { }

    /** Bits below TF32's 10 explicit mantissa bits: 23 - 10 = 13. */
    private static final int DROPPED_BITS = 13;
    private static final int DROPPED_MASK = (1 << DROPPED_BITS) - 1;
    private static final int HALF = 1 << (DROPPED_BITS - 1);

    /**
     * Rounds a float to TF32 as {@code cvt.rna.tf32.f32}: to nearest, ties away from zero, keeping 10
     * mantissa bits; the result is a float whose low 13 mantissa bits are zero. Infinities and NaN pass
     * through; a value within half a TF32 ulp of the largest float rounds to infinity.
     */
    public static float round(float x) {
        if (Float.isNaN(x) || Float.isInfinite(x)) return x;
        int bits = Float.floatToRawIntBits(x);
        // Adding half of the dropped range to the magnitude bits and truncating rounds the magnitude half
        // away from zero; a carry into the exponent is the correct rounding up to the next binade.
        int sign = bits & 0x8000_0000;
        int magnitude = bits & 0x7FFF_FFFF;
        magnitude = (magnitude + HALF) & ~DROPPED_MASK;
        return Float.intBitsToFloat(sign | magnitude);
    }

    /** The TF32 remainder of the 3xTF32 split: tf32(x - tf32(x)). */
    public static float low(float x) { return round(x - round(x)); }

    /** a * b as the policy computes it, in F64 (exact for tf32; the three products summed for 3xtf32). */
    public static double product(Precision p, float a, float b) {
        return switch (p) {
            case STRICT -> (double) a * b;
            case TF32 -> (double) round(a) * round(b);
            case TF32X3 -> {
                float ah = round(a), al = low(a), bh = round(b), bl = low(b);
                yield (double) ah * bl + (double) al * bh + (double) ah * bh;
            }
        };
    }

    /** C = A B for row-major A [m, k] and B [k, n], products as the policy forms them, summed in F64. */
    public static double[] matmul(Precision p, float[] a, float[] b, int m, int k, int n) {
        check("matmul A", a.length, (long) m * k);
        check("matmul B", b.length, (long) k * n);
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int q = 0; q < k; q++) s += product(p, a[i * k + q], b[q * n + j]);
                c[i * n + j] = s;
            }
        }
        return c;
    }

    /**
     * conv2d of x [N, C, H, W] with w [O, C/groups, KH, KW] (bias may be null, added in F64), products as
     * the policy forms them; the same formula as the CPU backend's, written as a plain loop.
     */
    public static double[] conv2d(Precision p, float[] x, int[] xs, float[] w, int[] ws, float[] bias, ConvSpec s) {
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3], o = ws[0], cg = ws[1], kh = ws[2], kw = ws[3];
        int g = s.groups(), og = o / g, oh = s.outH(h, kh), ow = s.outW(wd, kw);
        if (cg * g != c || og * g != o) throw new IllegalArgumentException("Tf32Reference.conv2d: " + c + " input and " + o
                + " output channels do not split into " + g + " groups of " + cg);
        check("conv2d x", x.length, (long) n * c * h * wd);
        check("conv2d weight", w.length, (long) o * cg * kh * kw);
        double[] y = new double[n * o * oh * ow];
        for (int b = 0; b < n; b++) for (int oc = 0; oc < o; oc++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
            int grp = oc / og;
            double sum = bias == null ? 0 : bias[oc];
            for (int ci = 0; ci < cg; ci++) for (int r = 0; r < kh; r++) for (int t = 0; t < kw; t++) {
                int ih = i * s.strideH() - s.padH() + r * s.dilationH(), iw = j * s.strideW() - s.padW() + t * s.dilationW();
                if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                sum += product(p, w[((oc * cg + ci) * kh + r) * kw + t], x[((b * c + grp * cg + ci) * h + ih) * wd + iw]);
            }
            y[((b * o + oc) * oh + i) * ow + j] = sum;
        }
        return y;
    }

    /**
     * The input gradient of conv2d: gx [N, C, H, W] from gy [N, O, OH, OW] and w [O, C/groups, KH, KW],
     * products as the policy forms them (each term w * gy), summed in F64.
     */
    public static double[] conv2dBackwardInput(Precision p, float[] gy, int[] xs, float[] w, int[] ws, ConvSpec s) {
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3], o = ws[0], cg = ws[1], kh = ws[2], kw = ws[3];
        int g = s.groups(), og = o / g, oh = s.outH(h, kh), ow = s.outW(wd, kw);
        check("conv2dBackwardInput gradOut", gy.length, (long) n * o * oh * ow);
        check("conv2dBackwardInput weight", w.length, (long) o * cg * kh * kw);
        double[] gx = new double[n * c * h * wd];
        for (int b = 0; b < n; b++) for (int oc = 0; oc < o; oc++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
            int grp = oc / og;
            float dy = gy[((b * o + oc) * oh + i) * ow + j];
            for (int ci = 0; ci < cg; ci++) for (int r = 0; r < kh; r++) for (int t = 0; t < kw; t++) {
                int ih = i * s.strideH() - s.padH() + r * s.dilationH(), iw = j * s.strideW() - s.padW() + t * s.dilationW();
                if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                gx[((b * c + grp * cg + ci) * h + ih) * wd + iw] += product(p, w[((oc * cg + ci) * kh + r) * kw + t], dy);
            }
        }
        return gx;
    }

    private static void check(String what, int length, long expected) {
        if (length != expected) throw new IllegalArgumentException("Tf32Reference " + what + ": " + length + " elements, expected " + expected);
    }
}
