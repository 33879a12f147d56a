package org.diffusion4j.diffusion.net;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Embedding;
import org.diffusion4j.nn.KeyPaddingMask;
import org.diffusion4j.nn.LayerNorm;
import org.diffusion4j.nn.Module;
import org.diffusion4j.nn.ModuleList;
import org.diffusion4j.nn.TransformerBlock;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

/**
 * A small transformer text encoder, trained from scratch with the diffusion model (as Imagen's and latent diffusion's
 * text encoders, only tiny): a learned start token is put before the caption, then
 * <pre>
 *   h = TokenEmbedding([START, t_1..t_L]) + PositionEmbedding(0..L);  h = Block_depth(...Block_1(h));  states = LN(h)
 *   pooled = mean of the states over the start token and the caption's non-pad tokens
 * </pre>
 * with pre-norm {@link TransformerBlock}s (bidirectional self-attention, GELU MLP) whose attention hides padding keys.
 *
 * <p>The start token (id = vocabulary, one embedding row beyond the tokenizer's) is never padding, so every caption
 * has a state to attend to; the empty caption (all pad: classifier-free guidance's unconditional form) is encoded to
 * the start token's state alone, a learned "no caption" context, as Stable Diffusion encodes the empty prompt.
 */
public final class TextEncoder extends Module {
    /**
     * @param vocabulary the tokenizer's vocabulary size (ids 0..vocabulary-1, the pad id among them)
     * @param maxLength  the longest caption in tokens (the start token not counted)
     * @param width      E, the token state width
     * @param depth      transformer blocks
     * @param heads      attention heads; must divide the width
     */
    public record Config(int vocabulary, int maxLength, int width, int depth, int heads) {
        public Config {
            if (vocabulary < 2 || maxLength < 1 || width < 1 || depth < 0 || heads < 1) throw new IllegalArgumentException(
                    "TextEncoder.Config: vocabulary >= 2, maxLength >= 1, width >= 1, depth >= 0, heads >= 1, got " + this);
            if (width % heads != 0) throw new IllegalArgumentException("TextEncoder.Config: heads (" + heads
                    + ") must divide the width (" + width + ")");
        }
    }

    private final Config config;
    private final Embedding tokens, positions;
    private final ModuleList<TransformerBlock> blocks;
    private final LayerNorm norm;

    public TextEncoder(Config config) {
        this.config = config;
        this.tokens = register("tokens", new Embedding(config.vocabulary() + 1, config.width()));
        this.positions = register("positions", new Embedding(config.maxLength() + 1, config.width()));
        this.blocks = register("blocks", new ModuleList<>());
        for (int i = 0; i < config.depth(); i++) blocks.add(new TransformerBlock(config.width(), config.heads(), false));
        this.norm = register("norm", new LayerNorm(config.width()));
    }

    public Config config() { return config; }

    /** The start token's id (one past the tokenizer's vocabulary). */
    public int startId() { return config.vocabulary(); }

    /**
     * @param text token ids [N, L], L at most maxLength, each in [0, vocabulary)
     * @return states [N, L + 1, E] (the start token's first), the pooled vector and which states are real tokens
     */
    public EncodedText forward(TokenIds text) {
        int n = text.count(), l = text.length(), s = l + 1;
        if (l > config.maxLength()) throw new IllegalArgumentException("TextEncoder: captions of " + l
                + " tokens are longer than the " + config.maxLength() + " it was built for");
        int[] ids = new int[n * s];
        boolean[][] keep = new boolean[n][s];
        double[] poolWeights = new double[n * s];
        for (int i = 0; i < n; i++) {
            ids[i * s] = startId();
            keep[i][0] = true;
            int real = 1;
            for (int j = 0; j < l; j++) {
                int id = text.id(i, j);
                if (id >= config.vocabulary()) throw new IllegalArgumentException("TextEncoder: token id " + id + " (caption "
                        + i + ", position " + j + ") is outside the vocabulary 0.." + (config.vocabulary() - 1));
                ids[i * s + j + 1] = id;
                keep[i][j + 1] = id != text.pad();
                if (keep[i][j + 1]) real++;
            }
            for (int j = 0; j < s; j++) poolWeights[i * s + j] = keep[i][j] ? 1.0 / real : 0;
        }
        int[] pos = new int[s];
        for (int j = 0; j < s; j++) pos[j] = j;
        Variable h = tokens.forward(ids, n, s).add(positions.forward(pos, 1, s));
        Backend backend = h.backend();
        DType dtype = h.dtype();
        Tensor mask = KeyPaddingMask.additive(backend, dtype, keep, config.heads());
        for (TransformerBlock b : blocks) h = b.forward(h, mask);
        Variable states = norm.forward(h);
        Variable pooled = states.mul(Tensor.of(backend, dtype, poolWeights, n, s, 1)).sum(false, 1);   // masked mean [N, E]
        return new EncodedText(states, pooled, keep);
    }
}
