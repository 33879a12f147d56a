package org.diffusion4j.experiments.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Debian's {@code fortunes} package (fortune cookies, {@code /usr/share/games/fortunes}) as a character-level
 * corpus, split by fortune into train, validation and test.
 *
 * <p>Reading: every data file of the folder (not the {@code .dat} indices or {@code .u8} links), in file-name
 * order, except {@code ascii-art} (pictures, not language). A file holds fortunes separated by lines that are a
 * single {@code %}. Cleaning, per fortune: lines lose trailing white space, tabs become one space, the fortune
 * loses leading and trailing blank lines; a fortune that still holds a character outside {@link CharVocabulary}
 * (non-ASCII letters, control characters) is dropped whole, as is an empty one. Splitting: the kept fortunes are
 * shuffled by Fisher-Yates with {@link SplittableRandom}(seed) and cut 90 / 5 / 5 (train gets the rest).
 * Each split's text is its fortunes joined by {@link #SEPARATOR}, which the models see as ordinary characters.
 */
public final class FortunesCorpus {
    public static final Path DEBIAN_FOLDER = Path.of("/usr/share/games/fortunes");
    public static final String SEPARATOR = "\n%\n";
    public static final long DEFAULT_SEED = 19;
    private static final List<String> EXCLUDED = List.of("ascii-art");

    public enum Split { TRAIN, VALIDATION, TEST }

    private final List<List<String>> splits;
    private final int read, dropped;

    private FortunesCorpus(List<List<String>> splits, int read, int dropped) {
        this.splits = splits;
        this.read = read;
        this.dropped = dropped;
    }

    /** The installed Debian package, split with {@link #DEFAULT_SEED}. */
    public static FortunesCorpus load() throws IOException { return load(DEBIAN_FOLDER, DEFAULT_SEED); }

    public static FortunesCorpus load(Path folder, long seed) throws IOException {
        if (!Files.isDirectory(folder)) throw new java.io.FileNotFoundException("the fortunes corpus folder " + folder
                + " does not exist. Install Debian's package with: sudo apt-get install fortunes");
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(Files::isRegularFile).filter(p -> !Files.isSymbolicLink(p))
                    .filter(p -> !p.getFileName().toString().contains("."))
                    .filter(p -> !EXCLUDED.contains(p.getFileName().toString())).sorted().toList();
        }
        if (files.isEmpty()) throw new java.io.FileNotFoundException("no fortune files in " + folder
                + ". Install Debian's package with: sudo apt-get install fortunes");
        List<String> kept = new ArrayList<>();
        int read = 0, dropped = 0;
        for (Path f : files) {
            String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
            for (String raw : splitFortunes(text)) {
                read++;
                String c = clean(raw);
                if (c == null) dropped++; else kept.add(c);
            }
        }
        return new FortunesCorpus(split(kept, seed), read, dropped);
    }

    /** The fortunes of a file's text: the pieces between lines that are a single '%'. */
    static List<String> splitFortunes(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.equals("%")) { out.add(cur.toString()); cur.setLength(0); }
            else cur.append(line).append('\n');
        }
        if (!cur.toString().isBlank()) out.add(cur.toString());   // text after the last '%' line
        return out;
    }

    /** The cleaned fortune, or null when it is empty or holds a character outside the vocabulary. */
    static String clean(String fortune) {
        List<String> lines = new ArrayList<>();
        for (String line : fortune.split("\n", -1)) lines.add(line.replace('\t', ' ').stripTrailing());
        while (!lines.isEmpty() && lines.getFirst().isEmpty()) lines.removeFirst();
        while (!lines.isEmpty() && lines.getLast().isEmpty()) lines.removeLast();
        if (lines.isEmpty()) return null;
        String s = String.join("\n", lines);
        for (int i = 0; i < s.length(); i++) if (!CharVocabulary.contains(s.charAt(i))) return null;
        return s;
    }

    static List<List<String>> split(List<String> fortunes, long seed) {
        List<String> order = new ArrayList<>(fortunes);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = order.size() - 1; i > 0; i--) Collections.swap(order, i, r.nextInt(i + 1));
        int n = order.size(), nVal = n / 20, nTest = n / 20, nTrain = n - nVal - nTest;
        return List.of(List.copyOf(order.subList(0, nTrain)), List.copyOf(order.subList(nTrain, nTrain + nVal)),
                List.copyOf(order.subList(nTrain + nVal, n)));
    }

    public List<String> fortunes(Split s) { return splits.get(s.ordinal()); }

    /** The split's fortunes joined by {@link #SEPARATOR}, as character ids. */
    public int[] ids(Split s) { return CharVocabulary.encode(String.join(SEPARATOR, fortunes(s))); }

    /** Fortunes read from the files, before cleaning. */
    public int fortunesRead() { return read; }

    /** Fortunes dropped by cleaning (empty, or a character outside the vocabulary). */
    public int fortunesDropped() { return dropped; }

    /** One line per split: fortunes and characters. */
    public String summary() {
        StringBuilder b = new StringBuilder("fortunes read " + read + ", dropped " + dropped + "\n");
        for (Split s : Split.values()) b.append(String.format("%-10s %6d fortunes %9d characters%n",
                s.name().toLowerCase(java.util.Locale.ROOT), fortunes(s).size(), ids(s).length));
        return b.toString();
    }
}
