package org.diffusion4j.tensor.cpu;

import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Philox;
import org.diffusion4j.tensor.RandomKind;
import org.diffusion4j.tensor.View;

/**
 * Philox4x32-10 fills, exactly the mapping documented in {@link Philox}: element e of the output is
 * column c = e % rowLength of stream firstStream + e / rowLength, taken from word c % 4 of block c / 4.
 * Each block's four words are computed once and serve the (up to) four elements that share it.
 */
final class CpuRandom {
    private static final double TWO_PI = 2.0 * Math.PI;
    private static final int CHUNK = 4096;

    private CpuRandom() { }

    static void fill(RandomKind kind, View out, long seed, long firstStream, long rowLength) {
        if (!out.isContiguous()) throw new IllegalArgumentException("cpu random: output " + out + " must be contiguous");
        if (rowLength < 1) throw new IllegalArgumentException("cpu random: rowLength must be >= 1, got " + rowLength);
        CpuStorage s = CpuStorage.of(out);
        int n = (int) out.numel();
        int chunks = (n + CHUNK - 1) / CHUNK;
        // every element is a pure function of its index, so any split over threads gives the same values
        Parallel.forRange(chunks, 30L * CHUNK, (c0, c1) -> {
            int[] w = new int[4];
            long stream = -1, block = -1;
            for (int e = c0 * CHUNK, end = Math.min(n, c1 * CHUNK); e < end; e++) {
                long r = e / rowLength, c = e - r * rowLength;
                if (firstStream + r != stream || (c >>> 2) != block) {
                    stream = firstStream + r;
                    block = c >>> 2;
                    Philox.words(seed, stream, block, w);
                }
                Reductions.store(s, out.offset() + e, value(kind, out.dtype(), w, (int) (c & 3)));
            }
        });
    }

    /** Word j of a block mapped to one number, as in {@link Philox#element}. */
    private static double value(RandomKind kind, DType dtype, int[] w, int j) {
        return switch (kind) {
            case UNIFORM -> dtype == DType.F32 ? Philox.uniform32(w[j]) : Philox.uniform64(w[j]);
            case RADEMACHER -> (w[j] >>> 31) == 1 ? 1.0 : -1.0;
            case NORMAL -> {
                // Box-Muller on the pair (0,1) or (2,3): r = sqrt(-2 ln u_even), z = r cos / r sin (2 pi u_odd)
                int pair = j & 2;
                double r = Math.sqrt(-2.0 * Math.log(Philox.uniform64(w[pair])));
                double theta = TWO_PI * Philox.uniform64(w[pair + 1]);
                yield (j & 1) == 0 ? r * Math.cos(theta) : r * Math.sin(theta);
            }
        };
    }
}
