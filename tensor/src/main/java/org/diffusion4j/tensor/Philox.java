package org.diffusion4j.tensor;

/**
 * Philox4x32-10, the counter-based generator of Salmon, Moraes, Dror and Shaw, "Parallel random numbers:
 * as easy as 1, 2, 3" (SC'11). A block of four 32-bit words is a pure function of a 128-bit counter and a
 * 64-bit key, so any element of any draw can be computed independently, on any device.
 *
 * <h2>How diffusion4j maps draws onto it (every backend must do exactly this)</h2>
 * <ul>
 *   <li>key = (seed &amp; 0xffffffff, seed &gt;&gt;&gt; 32);</li>
 *   <li>element c of stream s lives in block b = c / 4, word w = c % 4, with counter
 *       (b low, b high, s low, s high);</li>
 *   <li>UNIFORM: F64 gives (word + 0.5) * 2^-32; F32 gives ((word &gt;&gt;&gt; 9) + 0.5) * 2^-23, both exact and
 *       strictly inside (0, 1);</li>
 *   <li>NORMAL: Box-Muller in double on the pair (words 0,1) for elements 0,1 and (2,3) for 2,3 of a block:
 *       u = (word + 0.5) * 2^-32, r = sqrt(-2 ln u_even), z_even = r cos(2 pi u_odd), z_odd = r sin(2 pi u_odd),
 *       then rounded to the dtype;</li>
 *   <li>RADEMACHER: +1 when the word's top bit is set, else -1.</li>
 * </ul>
 */
public final class Philox {
    private static final int M0 = 0xD2511F53, M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9, W1 = 0xBB67AE85;
    private static final double TWO_POW_M32 = 0x1p-32, TWO_POW_M23 = 0x1p-23;

    private Philox() { }

    /** One Philox4x32-10 block: the four output words for counter (c0..c3) and key (k0, k1). */
    public static int[] block(int c0, int c1, int c2, int c3, int k0, int k1) {
        int[] out = new int[4];
        block(c0, c1, c2, c3, k0, k1, out);
        return out;
    }

    /** As {@link #block(int, int, int, int, int, int)}, into out[0..3]. */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        for (int round = 0; round < 10; round++) {
            if (round > 0) { k0 += W0; k1 += W1; }
            long p0 = (M0 & 0xffffffffL) * (c0 & 0xffffffffL);
            long p1 = (M1 & 0xffffffffL) * (c2 & 0xffffffffL);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
        }
        out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
    }

    /** The four words of block b of stream s under seed. */
    public static void words(long seed, long stream, long block, int[] out) {
        block((int) block, (int) (block >>> 32), (int) stream, (int) (stream >>> 32), (int) seed, (int) (seed >>> 32), out);
    }

    /** Uniform in (0,1) from one word, F64 rule. */
    public static double uniform64(int word) { return ((word & 0xffffffffL) + 0.5) * TWO_POW_M32; }

    /** Uniform in (0,1) from one word, F32 rule (exactly representable as a float). */
    public static float uniform32(int word) { return (float) (((word >>> 9) + 0.5) * TWO_POW_M23); }

    /** Element c of stream s as a double, following the mapping in the class comment. */
    public static double element(RandomKind kind, DType dtype, long seed, long stream, long c) {
        int[] w = new int[4];
        words(seed, stream, c >>> 2, w);
        int j = (int) (c & 3);
        return switch (kind) {
            case UNIFORM -> dtype == DType.F32 ? uniform32(w[j]) : uniform64(w[j]);
            case RADEMACHER -> (w[j] >>> 31) == 1 ? 1.0 : -1.0;
            case NORMAL -> {
                int pair = j & 2;
                double r = Math.sqrt(-2.0 * Math.log(uniform64(w[pair])));
                double theta = 2.0 * Math.PI * uniform64(w[pair + 1]);
                double z = (j & 1) == 0 ? r * Math.cos(theta) : r * Math.sin(theta);
                yield dtype == DType.F32 ? (float) z : z;
            }
        };
    }
}
