package org.diffusion4j.diffusion.net;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.KeyPaddingMask;
import org.diffusion4j.tensor.Tensor;

/**
 * What a text encoder hands to a cross-attention network: the token states [N, S, E] (on the tape, so the diffusion
 * loss trains the encoder), a pooled vector [N, E] per caption, and which of the S states are real tokens (the others
 * are padding, hidden from attention by a key mask).
 *
 * @param states the token states [N, S, E]
 * @param pooled one vector per caption [N, E]
 * @param keep   keep[i][j]: whether state j of caption i may be attended
 */
public record EncodedText(Variable states, Variable pooled, boolean[][] keep) {
    public EncodedText {
        int[] s = states.shape();
        if (s.length != 3) throw new IllegalArgumentException("token states must be [N, S, E], got " + java.util.Arrays.toString(s));
        if (keep.length != s[0] || keep[0].length != s[1]) throw new IllegalArgumentException("the key mask is "
                + keep.length + " x " + keep[0].length + " for token states " + java.util.Arrays.toString(s));
    }

    /** A context sequence without padding, pooled by its mean over the S tokens. */
    public static EncodedText unpadded(Variable states) {
        int[] s = states.shape();
        boolean[][] keep = new boolean[s[0]][s[1]];
        for (boolean[] row : keep) java.util.Arrays.fill(row, true);
        return new EncodedText(states, states.mean(false, 1), keep);
    }

    /** The additive mask [N heads, 1, S] for an attention layer with this many heads; null when nothing is padding. */
    public Tensor keyMask(int heads) {
        for (boolean[] row : keep) for (boolean k : row) if (!k) return KeyPaddingMask.additive(states.backend(), states.dtype(), keep, heads);
        return null;
    }

    public int width() { return states.shape(2); }
}
