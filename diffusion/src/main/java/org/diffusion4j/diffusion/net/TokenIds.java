package org.diffusion4j.diffusion.net;

import java.util.Arrays;

/**
 * A batch of token-id sequences [N, L] (row-major, every row padded to the same length L with the pad id), the
 * condition of a text-conditioned network. Its unconditional form is the empty caption: every id the pad id.
 * Immutable; the ids are copied in and out.
 */
public final class TokenIds {
    private final int[] ids;
    private final int count, length, pad;

    /**
     * @param ids    row-major ids [count, length], each >= 0
     * @param count  N, the number of sequences
     * @param length L, the tokens per sequence (padded)
     * @param pad    the padding id
     */
    public TokenIds(int[] ids, int count, int length, int pad) {
        if (ids == null) throw new IllegalArgumentException("token ids must be given, got null");
        if (count < 1 || length < 1) throw new IllegalArgumentException("token ids need count >= 1 and length >= 1, got "
                + count + " x " + length);
        if (ids.length != (long) count * length) throw new IllegalArgumentException(ids.length + " token ids do not fill ["
                + count + ", " + length + "]");
        if (pad < 0) throw new IllegalArgumentException("the pad id must be >= 0, got " + pad);
        for (int i = 0; i < ids.length; i++) if (ids[i] < 0) throw new IllegalArgumentException("token id " + ids[i]
                + " at sequence " + i / length + ", position " + i % length + " is negative");
        this.ids = ids.clone();
        this.count = count;
        this.length = length;
        this.pad = pad;
    }

    /** Each of the count rows the same sequence (one prompt for a whole batch). */
    public static TokenIds repeated(int[] row, int count, int pad) {
        int[] ids = new int[count * row.length];
        for (int i = 0; i < count; i++) System.arraycopy(row, 0, ids, i * row.length, row.length);
        return new TokenIds(ids, count, row.length, pad);
    }

    public int count() { return count; }

    public int length() { return length; }

    public int pad() { return pad; }

    /** A copy of the row-major ids. */
    public int[] ids() { return ids.clone(); }

    /** The id at (sequence i, position j). */
    public int id(int i, int j) { return ids[i * length + j]; }

    /** The empty captions: the same shape, every id the pad id (the unconditional form). */
    public TokenIds empty() {
        int[] e = new int[ids.length];
        Arrays.fill(e, pad);
        return new TokenIds(e, count, length, pad);
    }

    /** The same sequences with row i replaced by the empty caption where drop[i]. */
    public TokenIds emptied(boolean[] drop) {
        if (drop.length != count) throw new IllegalArgumentException(drop.length + " flags for " + count + " sequences");
        int[] e = ids.clone();
        for (int i = 0; i < count; i++) if (drop[i]) Arrays.fill(e, i * length, (i + 1) * length, pad);
        return new TokenIds(e, count, length, pad);
    }

    /** Sequences [from, from + n). */
    public TokenIds narrow(int from, int n) {
        if (from < 0 || n < 1 || from + n > count) throw new IllegalArgumentException("sequences " + from + ".." + (from + n - 1)
                + " are outside 0.." + (count - 1));
        return new TokenIds(Arrays.copyOfRange(ids, from * length, (from + n) * length), n, length, pad);
    }

    @Override public boolean equals(Object o) {
        return o instanceof TokenIds t && t.count == count && t.length == length && t.pad == pad && Arrays.equals(t.ids, ids);
    }

    @Override public int hashCode() { return 31 * Arrays.hashCode(ids) + length; }

    @Override public String toString() { return "token ids [" + count + ", " + length + "]"; }
}
