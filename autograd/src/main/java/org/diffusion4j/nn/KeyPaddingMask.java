package org.diffusion4j.nn;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

/**
 * The additive attention mask that hides padding keys: for sequence i and key j, 0 where the key may be attended and
 * -inf where it is padding, so that softmax gives it weight exactly 0. Laid out [N heads, 1, S] (sequence i's row
 * repeated for each of its heads, in the order the attention layers split heads: index i heads + h), which broadcasts
 * over the query positions.
 */
public final class KeyPaddingMask {
    private KeyPaddingMask() { }

    /**
     * @param keep  keep[i][j]: whether key j of sequence i is a real token; every sequence needs at least one
     * @param heads the attention heads the mask is for
     */
    public static Tensor additive(Backend backend, DType dtype, boolean[][] keep, int heads) {
        if (heads < 1) throw new IllegalArgumentException("KeyPaddingMask: heads must be >= 1, got " + heads);
        int n = keep.length, s = keep[0].length;
        double[] m = new double[n * heads * s];
        for (int i = 0; i < n; i++) {
            if (keep[i].length != s) throw new IllegalArgumentException("KeyPaddingMask: sequence " + i + " has "
                    + keep[i].length + " keys, sequence 0 has " + s);
            boolean any = false;
            for (int j = 0; j < s; j++) any |= keep[i][j];
            if (!any) throw new IllegalArgumentException("KeyPaddingMask: sequence " + i + " has no key to attend to "
                    + "(every one is padding)");
            for (int h = 0; h < heads; h++) for (int j = 0; j < s; j++) {
                m[((i * heads) + h) * s + j] = keep[i][j] ? 0 : Double.NEGATIVE_INFINITY;
            }
        }
        return Tensor.of(backend, dtype, m, n * heads, 1, s);
    }
}
