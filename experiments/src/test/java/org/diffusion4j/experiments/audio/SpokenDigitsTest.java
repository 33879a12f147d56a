package org.diffusion4j.experiments.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A tiny spoken-digits set (3 espeak-ng voices, 2 flite voices where installed, one take): made, checked, reused. */
class SpokenDigitsTest {
    static final SpokenDigits.Spec TINY = new SpokenDigits.Spec(7, 1, 3, 0.3, true);

    @TempDir Path dir;

    static void assumeEspeak() {
        assumeTrue(Synthesiser.installed("espeak-ng"), Synthesiser.missingMessage("espeak-ng", "espeak-ng")
                + " (scripts/test installs it when it can)");
    }

    @Test void makesCentredNormalisedClipsSplitBySpeakerAndReusesThem() throws IOException {
        assumeEspeak();
        boolean flite = Synthesiser.installed("flite");
        Path folder = dir.resolve("digits");
        List<SpokenDigits.Entry> made = SpokenDigits.ensure(folder, TINY, null);
        int voices = 3 + (flite ? 3 : 0);
        assertEquals(voices * 10, made.size());
        assertEquals(made, SpokenDigits.read(folder));

        Set<String> trainSpeakers = made.stream().filter(e -> e.split().equals("train")).map(SpokenDigits.Entry::speaker).collect(Collectors.toSet());
        Set<String> testSpeakers = made.stream().filter(e -> e.split().equals("test")).map(SpokenDigits.Entry::speaker).collect(Collectors.toSet());
        assertFalse(trainSpeakers.isEmpty());
        assertFalse(testSpeakers.isEmpty());
        Set<String> both = new HashSet<>(trainSpeakers);
        both.retainAll(testSpeakers);
        assertTrue(both.isEmpty(), "speakers in both splits: " + both);

        for (SpokenDigits.Entry e : made) {
            double[] x = Wav.read(folder.resolve(e.file()), 8000, 8000).samples();
            double peak = 0;
            for (double v : x) peak = Math.max(peak, Math.abs(v));
            assertTrue(e.gain() >= 0.5 && e.gain() <= 1.0, e.toString());
            assertEquals(e.gain(), peak, 1.0 / 32768 + 1e-4, "peak of " + e.file());
            assertTrue(e.spokenSamples() > 800 && e.spokenSamples() < 8000, e.file() + " spoken " + e.spokenSamples());
            // centred: the spoken span, found again in the stored clip, has its middle at the clip's middle
            int[] span = ClipShaping.spokenSpan(x, 8000 / 50);
            assertEquals(4000, (span[0] + span[1]) / 2.0, 40, e.file() + " spoken span " + span[0] + ".." + span[1]);
            assertEquals(e.spokenSamples(), span[1] - span[0], 80, e.file());
        }
        assertEquals(flite, made.stream().anyMatch(e -> e.synthesiser().equals("flite")));
        for (String synth : flite ? List.of("espeak-ng", "flite") : List.of("espeak-ng")) {      // each synthesiser on both sides
            for (String split : List.of("train", "test")) {
                assertTrue(made.stream().anyMatch(e -> e.synthesiser().equals(synth) && e.split().equals(split)), synth + " in " + split);
            }
        }

        long before = Files.getLastModifiedTime(folder.resolve(SpokenDigits.MANIFEST)).toMillis();
        assertEquals(made, SpokenDigits.ensure(folder, TINY, null));             // reused, not remade
        assertEquals(before, Files.getLastModifiedTime(folder.resolve(SpokenDigits.MANIFEST)).toMillis());

        var other = assertThrows(IOException.class, () -> SpokenDigits.ensure(folder, new SpokenDigits.Spec(8, 1, 3, 0.3, true), null));
        assertTrue(other.getMessage().contains("seed=7") && other.getMessage().contains("seed=8"), other.getMessage());

        AudioDataset train = AudioDataset.load(folder, "train");
        assertEquals(made.stream().filter(e -> e.split().equals("train")).count(), train.size());
        var batch = train.batch(org.diffusion4j.tensor.Backends.cpu(), org.diffusion4j.tensor.DType.F32, new int[]{0, 1});
        assertArrayEquals(new int[]{2, 1, 8000}, batch.shape());
    }

    @Test void theSameSeedMakesTheSameBytes() throws IOException {
        assumeEspeak();
        var spec = new SpokenDigits.Spec(3, 1, 2, 0.5, false);
        List<SpokenDigits.Entry> a = SpokenDigits.ensure(dir.resolve("a"), spec, null);
        List<SpokenDigits.Entry> b = SpokenDigits.ensure(dir.resolve("b"), spec, null);
        assertEquals(a, b);
        assertEquals(Files.readString(dir.resolve("a").resolve(SpokenDigits.MANIFEST)), Files.readString(dir.resolve("b").resolve(SpokenDigits.MANIFEST)));
        for (SpokenDigits.Entry e : a) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(e.file())), Files.readAllBytes(dir.resolve("b").resolve(e.file())), e.file());
        }
        // the variation differs between clips of one voice
        assertTrue(a.stream().map(SpokenDigits.Entry::args).distinct().count() > 5, "args " + a.stream().map(SpokenDigits.Entry::args).toList());
    }

    @Test void aMissingSynthesiserNamesItsDebianPackage() {
        String m = Synthesiser.missingMessage("espeak-ng", "espeak-ng");
        assertTrue(m.contains("apt-get install espeak-ng"), m);
        assertFalse(Synthesiser.installed("d4j-no-such-synthesiser"));
    }

    @Test void aFolderWithOtherFilesIsNotOverwritten() throws IOException {
        assumeEspeak();
        Files.createDirectories(dir.resolve("busy"));
        Files.writeString(dir.resolve("busy").resolve("notes.txt"), "mine");
        var e = assertThrows(IOException.class, () -> SpokenDigits.ensure(dir.resolve("busy"), TINY, null));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    }
}
