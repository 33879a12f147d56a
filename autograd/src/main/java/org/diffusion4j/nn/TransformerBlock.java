package org.diffusion4j.nn;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Tensor;

/**
 * A pre-norm transformer block (as GPT-2 and the MDLM/SEDD diffusion transformers without time conditioning):
 * <pre>
 *   x = x + Attention(LayerNorm(x))
 *   x = x + Linear(4E, E)(GELU(Linear(E, 4E)(LayerNorm(x))))
 * </pre>
 * Parameters: 2 * 2E (norms) + 4 (E^2 + E) (attention) + 8 E^2 + 5E (MLP) = 12 E^2 + 13 E.
 */
public final class TransformerBlock extends Module implements UnaryModule {
    private final LayerNorm norm1, norm2;
    private final SequenceSelfAttention attention;
    private final Linear up, down;

    public TransformerBlock(int width, int heads, boolean causal) {
        this.norm1 = register("norm1", new LayerNorm(width));
        this.attention = register("attention", new SequenceSelfAttention(width, heads, causal));
        this.norm2 = register("norm2", new LayerNorm(width));
        this.up = register("up", new Linear(width, 4 * width));
        this.down = register("down", new Linear(4 * width, width));
    }

    @Override public Variable forward(Variable x) { return forward(x, null); }

    /** With an additive key mask on the attention ({@link SequenceSelfAttention#forward(Variable, Tensor)}); null for none. */
    public Variable forward(Variable x, Tensor keyMask) {
        Variable h = x.add(attention.forward(norm1.forward(x), keyMask));
        return h.add(down.forward(up.forward(norm2.forward(h)).gelu()));
    }
}
