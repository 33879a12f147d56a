package org.diffusion4j.nn;

import org.diffusion4j.autograd.Variable;

/**
 * A small transformer over token sequences: token and learned position embeddings, {@code depth} pre-norm
 * {@link TransformerBlock}s, a final LayerNorm and a linear head to one logit per output class:
 * <pre>
 *   h = TokenEmbedding(ids) + PositionEmbedding(0..L-1);  h = Block_depth(...Block_1(h));  logits = Linear(LN(h))
 * </pre>
 * The same class is the masked-diffusion LM's denoiser (bidirectional) and the autoregressive baseline (causal):
 * built with equal sizes both have the same parameter count, which is the comparison's premise.
 */
public final class TokenTransformer extends Module {
    /** The shape of a network: input and output vocabularies, longest sequence, width, blocks, heads, causal mask. */
    public record Config(int inputVocabulary, int outputVocabulary, int maxLength, int width, int depth, int heads,
                         boolean causal) {
        public Config {
            if (inputVocabulary < 1 || outputVocabulary < 1 || maxLength < 1 || width < 1 || depth < 0 || heads < 1)
                throw new IllegalArgumentException("TokenTransformer.Config: every size must be positive (depth >= 0), got " + this);
            if (width % heads != 0) throw new IllegalArgumentException("TokenTransformer.Config: heads (" + heads
                    + ") must divide the width (" + width + ")");
        }
    }

    private final Config config;
    private final Embedding tokens, positions;
    private final ModuleList<TransformerBlock> blocks;
    private final LayerNorm norm;
    private final Linear head;

    public TokenTransformer(Config config) {
        this.config = config;
        this.tokens = register("tokens", new Embedding(config.inputVocabulary(), config.width()));
        this.positions = register("positions", new Embedding(config.maxLength(), config.width()));
        this.blocks = register("blocks", new ModuleList<>());
        for (int i = 0; i < config.depth(); i++) blocks.add(new TransformerBlock(config.width(), config.heads(), config.causal()));
        this.norm = register("norm", new LayerNorm(config.width()));
        this.head = register("head", new Linear(config.width(), config.outputVocabulary()));
    }

    public Config config() { return config; }

    /**
     * @param ids    row-major token ids [n, length], each in [0, inputVocabulary)
     * @param n      sequences
     * @param length tokens per sequence, at most maxLength
     * @return logits [n, length, outputVocabulary]
     */
    public Variable forward(int[] ids, int n, int length) {
        if (length < 1 || length > config.maxLength()) throw new IllegalArgumentException("TokenTransformer: length "
                + length + " is outside 1.." + config.maxLength());
        int[] pos = new int[length];
        for (int i = 0; i < length; i++) pos[i] = i;
        Variable h = tokens.forward(ids, n, length).add(positions.forward(pos, 1, length));
        for (TransformerBlock b : blocks) h = b.forward(h);
        return head.forward(norm.forward(h));
    }
}
