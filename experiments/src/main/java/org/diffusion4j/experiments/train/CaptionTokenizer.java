package org.diffusion4j.experiments.train;

/** Captions to token ids, as a text-conditioned network reads them. */
public interface CaptionTokenizer {
    /** The number of ids (the pad id among them). */
    int vocabulary();

    /** The padding id: the empty caption is all pad. */
    int pad();

    /**
     * The caption's ids, padded with the pad id to exactly maxLength.
     *
     * @throws IllegalArgumentException naming the words the tokenizer does not know, or when the caption is too long
     */
    int[] encode(String caption, int maxLength);
}
