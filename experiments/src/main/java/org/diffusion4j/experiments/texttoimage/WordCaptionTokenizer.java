package org.diffusion4j.experiments.texttoimage;

import org.diffusion4j.experiments.scenes.WordTokenizer;
import org.diffusion4j.experiments.train.CaptionTokenizer;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A {@link WordTokenizer} as the text-to-image network reads it: [BOS, words, EOS] padded with PAD (0). Unknown words
 * are refused, all of them named at once (a prompt is better rejected than silently read with &lt;unk&gt; in it).
 */
public final class WordCaptionTokenizer implements CaptionTokenizer {
    private final WordTokenizer words;

    public WordCaptionTokenizer(WordTokenizer words) { this.words = words; }

    public WordTokenizer words() { return words; }

    @Override public int vocabulary() { return words.size(); }

    @Override public int pad() { return WordTokenizer.PAD; }

    @Override public int[] encode(String caption, int maxLength) {
        Set<String> unknown = unknownWords(caption);
        if (!unknown.isEmpty()) throw new IllegalArgumentException("the prompt '" + caption + "' has "
                + (unknown.size() == 1 ? "a word" : unknown.size() + " words") + " the run's tokenizer does not know: "
                + String.join(", ", unknown) + " (it knows the " + (words.size() - 4) + " words of the training captions)");
        if (words.length(caption) > maxLength) throw new IllegalArgumentException("the prompt '" + caption + "' takes "
                + words.length(caption) + " tokens (with BOS and EOS); the run's text encoder reads at most " + maxLength);
        return words.encode(caption, maxLength);
    }

    /** The words of text not in the vocabulary, in order of first appearance. */
    public Set<String> unknownWords(String text) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : WordTokenizer.words(text)) if (!words.contains(w)) out.add(w);
        return out;
    }
}
