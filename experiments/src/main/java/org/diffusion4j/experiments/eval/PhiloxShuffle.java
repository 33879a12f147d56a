package org.diffusion4j.experiments.eval;

import org.diffusion4j.tensor.Philox;

/**
 * Seeded permutations and subsets: a Fisher-Yates shuffle whose i-th swap is drawn from Philox block i of
 * (seed, stream), so a permutation depends only on (n, seed, stream) and never on a global generator.
 */
final class PhiloxShuffle {
    private PhiloxShuffle() { }

    /** A permutation of 0..n-1. */
    static int[] permutation(int n, long seed, long stream) { return prefix(n, n, seed, stream); }

    /** The first m entries of a seeded permutation of 0..n-1: m distinct indices drawn without replacement. */
    static int[] prefix(int n, int m, long seed, long stream) {
        if (m < 0 || m > n) throw new IllegalArgumentException("cannot draw " + m + " distinct indices from " + n);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        int[] w = new int[4];
        for (int i = 0; i < m; i++) {
            Philox.words(seed, stream, i, w);
            long r = ((w[0] & 0xffffffffL) << 32 | (w[1] & 0xffffffffL)) >>> 1;   // 63 uniform bits
            int j = i + (int) (r % (n - i));
            int t = idx[i]; idx[i] = idx[j]; idx[j] = t;
        }
        return java.util.Arrays.copyOf(idx, m);
    }
}
