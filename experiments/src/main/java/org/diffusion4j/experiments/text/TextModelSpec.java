package org.diffusion4j.experiments.text;

import org.diffusion4j.nn.TokenTransformer;

/**
 * What a text run trains: the kind (masked diffusion or the autoregressive baseline), the transformer's size, the
 * window length and the optimiser's settings. Both kinds build the same {@link TokenTransformer} (input vocabulary
 * 97: the 96 characters plus the mask or start token; output 96), bidirectional for diffusion, causal for the
 * baseline, so equal sizes mean equal parameter counts.
 */
public record TextModelSpec(Kind kind, int length, int width, int depth, int heads, int batch, double learningRate,
                            String schedule, long seed) {
    public enum Kind { DIFFUSION, AUTOREGRESSIVE;
        public static Kind parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "diffusion", "mdlm" -> DIFFUSION;
                case "ar", "autoregressive" -> AUTOREGRESSIVE;
                default -> throw new IllegalArgumentException("unknown text model kind '" + s + "', expected diffusion or ar");
            };
        }
    }

    public TextModelSpec {
        if (length < 2 || batch < 2 || !(learningRate > 0)) throw new IllegalArgumentException("TextModelSpec: need length >= 2, "
                + "batch >= 2 and a positive learning rate, got length " + length + ", batch " + batch + ", lr " + learningRate);
        org.diffusion4j.diffusion.text.MaskingSchedule.named(schedule);
        tokenTransformerConfig(kind, length, width, depth, heads);   // validates the sizes
    }

    /** The CPU-sized default: width 64, 2 blocks, 4 heads, windows of 128 characters, batch 8, Adam 1e-3. */
    public static TextModelSpec small(Kind kind) { return new TextModelSpec(kind, 128, 64, 2, 4, 8, 1e-3, "linear", 19); }

    public TokenTransformer.Config network() { return tokenTransformerConfig(kind, length, width, depth, heads); }

    private static TokenTransformer.Config tokenTransformerConfig(Kind kind, int length, int width, int depth, int heads) {
        return new TokenTransformer.Config(CharVocabulary.SIZE + 1, CharVocabulary.SIZE, length, width, depth, heads,
                kind == Kind.AUTOREGRESSIVE);
    }
}
