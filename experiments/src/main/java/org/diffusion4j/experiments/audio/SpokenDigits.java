package org.diffusion4j.experiments.audio;

import org.diffusion4j.experiments.io.AtomicFiles;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Philox;
import org.diffusion4j.tensor.RandomKind;
import org.diffusion4j.tensor.SeedMixing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The spoken-digits dataset: "zero" to "nine" spoken by Debian's speech synthesisers, made on the machine from a
 * seed, so nothing is downloaded. Each clip is 1 s of 8 kHz mono ({@link #SAMPLE_RATE}, {@link #CLIP_SAMPLES}),
 * resampled from the synthesiser's rate ({@link Resampler}), the spoken part centred and the peak scaled to a gain in
 * [0.5, 1] ({@link ClipShaping}). Per clip, pitch, rate and gain are uniforms from Philox keyed by (seed, voice,
 * digit, take), so a clip does not depend on which other voices are installed or chosen.
 *
 * <p>The split is by speaker ({@link Synthesiser.Voice#speaker()}): the speakers are shuffled from the seed and the
 * first ceil(testFraction n) are the test speakers, never heard in training. The folder holds clips/&lt;split&gt;/*.wav
 * and manifest.tsv (written last, so its presence means the folder is complete); a folder whose manifest has the
 * same spec is reused as it is.
 */
public final class SpokenDigits {
    public static final int SAMPLE_RATE = 8000;
    public static final int CLIP_SAMPLES = 8000;
    public static final String[] WORDS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
    public static final String MANIFEST = "manifest.tsv";
    static final String FORMAT = "# diffusion4j spoken-digits v1";
    static final String COLUMNS = "file\tsplit\tsynthesiser\tvoice\tspeaker\tdigit\ttake\targs\tgain\tsourceRate\tspokenSamples";

    /**
     * What to make.
     *
     * @param seed                  the seed of the voice choice, the split and every clip's variation
     * @param takes                 clips per (voice, digit), each with its own pitch, rate and gain
     * @param voicesPerSynthesiser  0 for all voices, else this many of each synthesiser's, chosen from the seed
     * @param testFraction          the share of speakers held out for the test split, in (0, 1)
     * @param useFlite              also flite's voices (when false, or flite is missing, espeak-ng alone)
     */
    public record Spec(long seed, int takes, int voicesPerSynthesiser, double testFraction, boolean useFlite) {
        public Spec {
            if (takes < 1) throw new IllegalArgumentException("spoken-digits takes must be >= 1, got " + takes);
            if (voicesPerSynthesiser < 0) throw new IllegalArgumentException("voices per synthesiser must be >= 0 (0 = all), got "
                    + voicesPerSynthesiser);
            if (!(testFraction > 0 && testFraction < 1)) throw new IllegalArgumentException("test fraction must be in (0, 1), got "
                    + testFraction);
        }

        /** The defaults of `d4j data spoken-digits`: every voice, 2 takes, 20% of the speakers for testing. */
        public static Spec standard(long seed) { return new Spec(seed, 2, 0, 0.2, true); }

        String line(List<String> synthesisers) {
            return String.format(Locale.ROOT, "# spec\tseed=%d takes=%d voicesPerSynthesiser=%d testFraction=%s synthesisers=%s",
                    seed, takes, voicesPerSynthesiser, testFraction, String.join(",", synthesisers));
        }
    }

    /** One manifest row. */
    public record Entry(String file, String split, String synthesiser, String voice, String speaker, int digit, int take,
                        String args, double gain, int sourceRate, int spokenSamples) {
        String row() {
            return String.join("\t", file, split, synthesiser, voice, speaker, Integer.toString(digit), Integer.toString(take),
                    args, String.format(Locale.ROOT, "%.4f", gain), Integer.toString(sourceRate), Integer.toString(spokenSamples));
        }

        static Entry parse(String line, Path manifest) throws IOException {
            String[] f = line.split("\t", -1);
            if (f.length != 11) throw new IOException(manifest + ": a row has " + f.length + " columns; expected 11 (" + COLUMNS + ")");
            try {
                return new Entry(f[0], f[1], f[2], f[3], f[4], Integer.parseInt(f[5]), Integer.parseInt(f[6]), f[7],
                        Double.parseDouble(f[8]), Integer.parseInt(f[9]), Integer.parseInt(f[10]));
            } catch (NumberFormatException e) {
                throw new IOException(manifest + ": unreadable row '" + line + "': " + e.getMessage(), e);
            }
        }
    }

    private SpokenDigits() {}

    /** The synthesisers the spec asks for that are installed; espeak-ng is required. */
    static List<Synthesiser> synthesisers(Spec spec) {
        if (!Synthesiser.installed(EspeakNg.PROGRAM)) throw new MissingSynthesiserException(
                Synthesiser.missingMessage(EspeakNg.PROGRAM, "espeak-ng"));
        List<Synthesiser> list = new ArrayList<>(List.of(new EspeakNg()));
        if (spec.useFlite() && Synthesiser.installed(Flite.PROGRAM)) list.add(new Flite());
        return list;
    }

    /**
     * The dataset in the folder: reused when its manifest has this spec, else made there (the folder must then be
     * empty or absent). Progress lines go to the log (may be null).
     */
    public static List<Entry> ensure(Path folder, Spec spec, java.io.PrintStream log) throws IOException {
        List<Synthesiser> synths = synthesisers(spec);
        String specLine = spec.line(synths.stream().map(Synthesiser::name).toList());
        Path manifest = folder.resolve(MANIFEST);
        if (Files.exists(manifest)) {
            List<String> lines = Files.readAllLines(manifest);
            if (lines.size() < 2 || !lines.get(1).equals(specLine)) throw new IOException(manifest + " was made with '"
                    + (lines.size() < 2 ? "(no spec line)" : lines.get(1).substring(2)) + "', not the asked-for '" + specLine.substring(2)
                    + "'; use another folder or delete this one");
            return read(folder);
        }
        if (Files.isDirectory(folder)) {
            try (var s = Files.list(folder)) {
                if (s.anyMatch(p -> !p.getFileName().toString().equals("clips")))
                    throw new IOException(folder + " is not empty and holds no " + MANIFEST + "; expected an empty folder for a new dataset");
            }
        }
        return make(folder, spec, synths, specLine, log);
    }

    private static List<Entry> make(Path folder, Spec spec, List<Synthesiser> synths, String specLine, java.io.PrintStream log)
            throws IOException {
        List<Synthesiser.Voice> voices = new ArrayList<>();
        List<Synthesiser> owners = new ArrayList<>();
        StringBuilder header = new StringBuilder(FORMAT).append('\n').append(specLine).append('\n');
        for (Synthesiser s : synths) {
            List<Synthesiser.Voice> chosen = choose(s.voices(), spec);
            voices.addAll(chosen);
            for (int i = 0; i < chosen.size(); i++) owners.add(s);
            header.append("# ").append(s.name()).append('\t').append(s.version()).append('\t').append(chosen.size()).append(" voices\n");
        }
        TreeSet<String> testSpeakers = testSpeakers(voices, spec);
        header.append("# test speakers\t").append(String.join(",", testSpeakers)).append('\n').append(COLUMNS).append('\n');
        for (String split : List.of("train", "test")) Files.createDirectories(folder.resolve("clips").resolve(split));
        // Voices are made in parallel (one synthesiser process per core): a clip depends on (seed, voice, digit, take)
        // alone, and the rows are written in voice order, so the folder is the same as a sequential run's.
        List<List<Entry>> perVoice = new ArrayList<>(java.util.Collections.nCopies(voices.size(), null));
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        try {
            java.util.stream.IntStream.range(0, voices.size()).parallel().forEach(v -> {
                Synthesiser.Voice voice = voices.get(v);
                String split = testSpeakers.contains(voice.speaker()) ? "test" : "train";
                List<Entry> made = new ArrayList<>();
                try {
                    Path scratch = Files.createTempFile("d4j-spoken-digit", ".wav");
                    try {
                        for (int digit = 0; digit < 10; digit++) {
                            for (int take = 0; take < spec.takes(); take++) {
                                made.add(makeClip(folder, spec, owners.get(v), voice, split, digit, take, scratch));
                            }
                        }
                    } finally {
                        Files.deleteIfExists(scratch);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                perVoice.set(v, made);
                int count = done.incrementAndGet();
                if (log != null && count % 50 == 0) log.printf("spoken-digits: %d of %d voices%n", count, voices.size());
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        List<Entry> entries = new ArrayList<>();
        for (List<Entry> made : perVoice) entries.addAll(made);
        StringBuilder text = new StringBuilder(header);
        for (Entry e : entries) text.append(e.row()).append('\n');
        AtomicFiles.writeString(folder.resolve(MANIFEST), text.toString());
        return entries;
    }

    private static Entry makeClip(Path folder, Spec spec, Synthesiser synth, Synthesiser.Voice voice, String split, int digit,
                                  int take, Path scratch) throws IOException {
        long key = SeedMixing.key(spec.seed(), "spoken-digits:" + voice.name(), digit, take);
        double pitch = uniform(key, 0), rate = uniform(key, 1);
        double gain = Math.round((0.5 + 0.5 * uniform(key, 2)) * 1e4) / 1e4;     // as the manifest writes it
        String args = synth.speak(voice, WORDS[digit], pitch, rate, scratch);
        Wav.Clip raw = Wav.read(scratch);
        double[] at8k = Resampler.resample(raw.samples(), raw.sampleRate(), SAMPLE_RATE);
        ClipShaping.Shaped shaped;
        try {
            shaped = ClipShaping.centreAndNormalise(at8k, CLIP_SAMPLES, SAMPLE_RATE);
        } catch (IllegalArgumentException e) {
            throw new IOException(synth.name() + " voice " + voice.name() + " saying '" + WORDS[digit] + "': " + e.getMessage(), e);
        }
        double[] clip = shaped.samples();
        for (int i = 0; i < clip.length; i++) clip[i] *= gain;
        String file = "clips/" + split + "/" + digit + "_" + synth.name() + "_" + voice.name() + "_" + take + ".wav";
        Wav.write(folder.resolve(file), clip, SAMPLE_RATE);
        return new Entry(file, split, synth.name(), voice.name(), voice.speaker(), digit, take, args, gain, raw.sampleRate(),
                shaped.spokenSamples());
    }

    /** All voices, or voicesPerSynthesiser of them chosen by a seeded shuffle (then sorted by name). */
    static List<Synthesiser.Voice> choose(List<Synthesiser.Voice> all, Spec spec) {
        List<Synthesiser.Voice> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(Synthesiser.Voice::name));
        if (spec.voicesPerSynthesiser() == 0 || spec.voicesPerSynthesiser() >= sorted.size()) return sorted;
        List<Synthesiser.Voice> shuffled = shuffle(sorted, SeedMixing.key(spec.seed(), "spoken-digits:voices"));
        List<Synthesiser.Voice> chosen = new ArrayList<>(shuffled.subList(0, spec.voicesPerSynthesiser()));
        chosen.sort(Comparator.comparing(Synthesiser.Voice::name));
        return chosen;
    }

    /**
     * Per synthesiser (so that both are on both sides), ceil(testFraction n) of its n speakers by a seeded shuffle; at
     * least one, and never all when n >= 2.
     */
    static TreeSet<String> testSpeakers(List<Synthesiser.Voice> voices, Spec spec) {
        TreeSet<String> all = new TreeSet<>(voices.stream().map(Synthesiser.Voice::speaker).toList()), test = new TreeSet<>();
        TreeSet<String> synths = new TreeSet<>(all.stream().map(s -> s.substring(0, s.indexOf(':'))).toList());
        for (String synth : synths) {
            List<String> speakers = all.stream().filter(s -> s.startsWith(synth + ":")).toList();
            int n = speakers.size();
            int k = Math.min(Math.max(1, (int) Math.ceil(spec.testFraction() * n)), Math.max(1, n - 1));
            test.addAll(shuffle(speakers, SeedMixing.key(spec.seed(), "spoken-digits:split:" + synth)).subList(0, k));
        }
        return test;
    }

    /** Fisher-Yates with Philox uniforms. */
    static <T> List<T> shuffle(List<T> items, long key) {
        List<T> out = new ArrayList<>(items);
        for (int i = out.size() - 1; i > 0; i--) {
            int j = (int) Math.floor(uniform(key, i) * (i + 1));
            T t = out.get(i);
            out.set(i, out.get(j));
            out.set(j, t);
        }
        return out;
    }

    private static double uniform(long key, long index) { return Philox.element(RandomKind.UNIFORM, DType.F64, key, index, 0); }

    /** The manifest's rows. */
    public static List<Entry> read(Path folder) throws IOException {
        Path manifest = folder.resolve(MANIFEST);
        if (!Files.exists(manifest)) throw new IOException("no spoken-digits dataset in " + folder + " (no " + MANIFEST
                + "); make it with: ./d4j data spoken-digits --out " + folder);
        List<String> lines = Files.readAllLines(manifest);
        if (lines.isEmpty() || !lines.get(0).equals(FORMAT)) throw new IOException(manifest + " does not start with '" + FORMAT + "'");
        List<Entry> entries = new ArrayList<>();
        boolean body = false;
        for (String line : lines) {
            if (line.startsWith("#") || line.isBlank()) continue;
            if (!body) {
                if (!line.equals(COLUMNS)) throw new IOException(manifest + ": expected the header '" + COLUMNS + "', got '" + line + "'");
                body = true;
                continue;
            }
            entries.add(Entry.parse(line, manifest));
        }
        return entries;
    }

    /** The default cache folder: $XDG_CACHE_HOME (or ~/.cache)/diffusion4j/spoken-digits-seed&lt;seed&gt;. */
    public static Path defaultFolder(long seed) {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("diffusion4j").resolve("spoken-digits-seed" + seed);
    }

    /** A synthesiser is not installed; the message names the Debian package. */
    public static final class MissingSynthesiserException extends IllegalStateException {
        public MissingSynthesiserException(String message) { super(message); }
    }
}
