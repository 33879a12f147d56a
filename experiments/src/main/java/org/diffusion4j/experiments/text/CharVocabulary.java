package org.diffusion4j.experiments.text;

/**
 * The character set of the text experiments: newline and the 95 printable ASCII characters ' ' (0x20) to '~'
 * (0x7E), 96 symbols. Id 0 is '\n', id c - 0x1F is the printable character c. A model reserves one more id,
 * {@link #SIZE}, for its own use (the mask of the diffusion LM, the start-of-text of the autoregressive one).
 */
public final class CharVocabulary {
    /** Number of characters. */
    public static final int SIZE = 96;

    private CharVocabulary() { }

    /** True when c belongs to the character set. */
    public static boolean contains(char c) { return c == '\n' || (c >= 0x20 && c <= 0x7E); }

    public static int id(char c) {
        if (!contains(c)) throw new IllegalArgumentException("character U+" + String.format("%04X", (int) c)
                + " is outside the text vocabulary (newline and printable ASCII 0x20..0x7E)");
        return c == '\n' ? 0 : c - 0x1F;
    }

    public static char character(int id) {
        if (id < 0 || id >= SIZE) throw new IllegalArgumentException("character id " + id + " is outside 0.." + (SIZE - 1));
        return id == 0 ? '\n' : (char) (id + 0x1F);
    }

    public static int[] encode(CharSequence s) {
        int[] ids = new int[s.length()];
        for (int i = 0; i < ids.length; i++) ids[i] = id(s.charAt(i));
        return ids;
    }

    /** Decodes ids; an id outside the character set (a model's mask) prints as '_'. */
    public static String decode(int[] ids, int from, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = from; i < from + length; i++) b.append(ids[i] >= 0 && ids[i] < SIZE ? character(ids[i]) : '_');
        return b.toString();
    }
}
