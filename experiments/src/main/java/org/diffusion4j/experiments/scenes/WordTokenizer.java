package org.diffusion4j.experiments.scenes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.diffusion4j.experiments.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A word-level vocabulary built from training captions. Text is lower-cased and split into words: runs of
 * letters and digits, joined by inner hyphens or apostrophes ("t-shirt", "it's"); everything else (spaces,
 * commas, colons, full stops) only separates words. Ids: {@link #PAD} 0, {@link #UNK} 1, {@link #BOS} 2,
 * {@link #EOS} 3, then the training words in alphabetical order.
 *
 * <p>{@link #encode(String, int)} gives [BOS, w1, ..., wn, EOS, PAD, ...] of length maxLen, an unknown word as UNK;
 * {@link #encodeStrict(String, int)} refuses unknown words, naming them. Saved as JSON with a run
 * ({@link #save}, {@link #load}).
 */
public final class WordTokenizer {
    public static final int PAD = 0, UNK = 1, BOS = 2, EOS = 3;
    static final List<String> SPECIALS = List.of("<pad>", "<unk>", "<bos>", "<eos>");
    static final String FORMAT = "diffusion4j-word-tokenizer";
    static final int VERSION = 1;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:['-][\\p{L}\\p{N}]+)*");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<String> vocabulary;          // id -> word, specials first
    private final Map<String, Integer> ids = new HashMap<>();

    private WordTokenizer(List<String> vocabulary) {
        this.vocabulary = List.copyOf(vocabulary);
        for (int i = 0; i < this.vocabulary.size(); i++) ids.put(this.vocabulary.get(i), i);
    }

    /** The lower-cased words of a text, in order. */
    public static List<String> words(String text) {
        if (text == null) throw new IllegalArgumentException("text to split into words is null");
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) out.add(m.group());
        return out;
    }

    /** The vocabulary of every word in the training texts. */
    public static WordTokenizer build(Iterable<String> trainingTexts) {
        TreeSet<String> words = new TreeSet<>();
        for (String t : trainingTexts) words.addAll(words(t));
        if (words.isEmpty()) throw new IllegalArgumentException("no words in the training texts: cannot build a vocabulary");
        List<String> v = new ArrayList<>(SPECIALS);
        v.addAll(words);
        return new WordTokenizer(v);
    }

    /** Number of ids, specials included. */
    public int size() { return vocabulary.size(); }

    /** The id of a (lower-case) word, UNK when it is not in the vocabulary. */
    public int id(String word) { return ids.getOrDefault(word, UNK); }

    public boolean contains(String word) { return ids.containsKey(word); }

    public String word(int id) {
        if (id < 0 || id >= size()) throw new IllegalArgumentException("token id " + id + " is outside the vocabulary 0.." + (size() - 1));
        return vocabulary.get(id);
    }

    /** The vocabulary, id order (specials first). */
    public List<String> vocabulary() { return vocabulary; }

    /** Number of ids a text takes: its words plus BOS and EOS. */
    public int length(String text) { return words(text).size() + 2; }

    /** [BOS, words..., EOS] padded with PAD to maxLen; an unknown word becomes UNK; a text longer than maxLen is an error. */
    public int[] encode(String text, int maxLen) { return encode(text, maxLen, false); }

    /** As {@link #encode(String, int)}, but an unknown word is an error naming it and the vocabulary size. */
    public int[] encodeStrict(String text, int maxLen) { return encode(text, maxLen, true); }

    /** Texts encoded row after row: token ids [texts.size(), maxLen] flattened row-major. */
    public int[] encodeAll(List<String> texts, int maxLen) {
        int[] out = new int[texts.size() * maxLen];
        for (int i = 0; i < texts.size(); i++) System.arraycopy(encode(texts.get(i), maxLen), 0, out, i * maxLen, maxLen);
        return out;
    }

    private int[] encode(String text, int maxLen, boolean strict) {
        List<String> w = words(text);
        if (maxLen < 2) throw new IllegalArgumentException("maxLen must be at least 2 (BOS and EOS), got " + maxLen);
        if (w.size() + 2 > maxLen) throw new IllegalArgumentException("text '" + text + "' takes " + (w.size() + 2)
                + " tokens (" + w.size() + " words, BOS, EOS), more than maxLen " + maxLen);
        int[] out = new int[maxLen];   // PAD = 0
        out[0] = BOS;
        for (int i = 0; i < w.size(); i++) {
            Integer id = ids.get(w.get(i));
            if (id == null && strict) throw new IllegalArgumentException("the word '" + w.get(i) + "' of '" + text
                    + "' is not in the tokenizer's vocabulary of " + size() + " ids (" + (size() - SPECIALS.size())
                    + " words from the training captions)");
            out[i + 1] = id == null ? UNK : id;
        }
        out[w.size() + 1] = EOS;
        return out;
    }

    /** The words of ids, space-separated; PAD, BOS and EOS are skipped, UNK prints as &lt;unk&gt;. */
    public String decode(int[] tokens) {
        List<String> out = new ArrayList<>();
        for (int t : tokens) if (t != PAD && t != BOS && t != EOS) out.add(word(t));
        return String.join(" ", out);
    }

    /** Writes the vocabulary as JSON (atomically). */
    public void save(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("lowercase", true);
        root.put("pad", PAD);
        root.put("unk", UNK);
        root.put("bos", BOS);
        root.put("eos", EOS);
        ArrayNode words = root.putArray("vocabulary");
        vocabulary.forEach(words::add);
        AtomicFiles.writeString(file, JSON.writeValueAsString(root) + "\n");
    }

    /** Reads a vocabulary written by {@link #save}, checking its format. */
    public static WordTokenizer load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new java.io.FileNotFoundException("tokenizer file " + file + " does not exist");
        JsonNode root = JSON.readTree(file.toFile());
        if (root == null || !FORMAT.equals(root.path("format").asText(null))) throw new IOException(file
                + " is not a word tokenizer (expected \"format\": \"" + FORMAT + "\")");
        if (root.path("version").asInt(-1) != VERSION) throw new IOException(file + ": tokenizer version "
                + root.path("version") + ", this build reads version " + VERSION);
        JsonNode v = root.path("vocabulary");
        if (!v.isArray()) throw new IOException(file + ": \"vocabulary\" must be an array of words");
        List<String> words = new ArrayList<>();
        v.forEach(n -> words.add(n.asText()));
        if (words.size() <= SPECIALS.size() || !words.subList(0, SPECIALS.size()).equals(SPECIALS)) throw new IOException(file
                + ": the vocabulary must start with " + SPECIALS + " and hold at least one word");
        for (int i = SPECIALS.size(); i < words.size(); i++) {
            String w = words.get(i);
            if (!List.of(w).equals(words(w))) throw new IOException(file + ": vocabulary entry " + i + " '" + w
                    + "' is not one lower-case word");
        }
        if (new TreeSet<>(words).size() != words.size()) throw new IOException(file + ": the vocabulary repeats a word");
        return new WordTokenizer(Collections.unmodifiableList(words));
    }

    @Override public boolean equals(Object o) { return o instanceof WordTokenizer t && t.vocabulary.equals(vocabulary); }

    @Override public int hashCode() { return vocabulary.hashCode(); }
}
