package org.diffusion4j.experiments.text;

import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Philox;
import org.diffusion4j.tensor.RandomKind;

/** Fixed-length windows of a split's character ids: random ones for training, consecutive ones for evaluation. */
public final class TextWindows {
    private final int[] ids;
    private final int length;

    public TextWindows(int[] ids, int length) {
        if (ids.length < length) throw new IllegalArgumentException("TextWindows: a text of " + ids.length
                + " characters has no window of " + length);
        this.ids = ids;
        this.length = length;
    }

    /** n windows at uniform offsets drawn from Philox (seed, stream). */
    public int[] random(int n, long seed, long stream) {
        int[] out = new int[n * length];
        long offsets = ids.length - length + 1;
        for (int i = 0; i < n; i++) {
            int at = (int) Math.min(offsets - 1, (long) (Philox.element(RandomKind.UNIFORM, DType.F64, seed, stream, i) * offsets));
            System.arraycopy(ids, at, out, i * length, length);
        }
        return out;
    }

    /** The first n non-overlapping windows (0, L, 2L, ...); fails when the text has fewer. */
    public int[] consecutive(int n) {
        if ((long) n * length > ids.length) throw new IllegalArgumentException("TextWindows: " + n + " windows of " + length
                + " need " + (long) n * length + " characters, the text has " + ids.length);
        return java.util.Arrays.copyOf(ids, n * length);
    }

    /** How many non-overlapping windows the text holds. */
    public int count() { return ids.length / length; }
}
