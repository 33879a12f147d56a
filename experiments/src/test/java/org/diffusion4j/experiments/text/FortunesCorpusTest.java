package org.diffusion4j.experiments.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class FortunesCorpusTest {
    @Test void vocabularyRoundTripsEveryCharacter() {
        assertEquals(96, CharVocabulary.SIZE);
        for (int id = 0; id < CharVocabulary.SIZE; id++) assertEquals(id, CharVocabulary.id(CharVocabulary.character(id)));
        assertEquals('\n', CharVocabulary.character(0));
        assertEquals(' ', CharVocabulary.character(1));
        assertEquals('~', CharVocabulary.character(95));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CharVocabulary.id('\u00e9'));
        assertTrue(e.getMessage().contains("U+00E9"), e.getMessage());
    }

    @Test void cleaningStripsBlankEdgesTabsAndDropsForeignCharacters() {
        assertEquals(" a b\n  c", FortunesCorpus.clean("\n\ta\tb   \n  c\n\n"));
        assertNull(FortunesCorpus.clean("\n \n"));
        assertNull(FortunesCorpus.clean("caf\u00e9"));
        assertEquals(List.of("one", "two\nlines", "last"), FortunesCorpus.splitFortunes("one\n%\ntwo\nlines\n%\nlast\n%\n\n")
                .stream().map(FortunesCorpus::clean).toList());
    }

    @Test void splitIsByFortuneDisjointCompleteAndFixedBySeed(@TempDir Path dir) throws Exception {
        StringBuilder a = new StringBuilder(), b = new StringBuilder();
        for (int i = 0; i < 70; i++) a.append("fortune a").append(i).append("\n%\n");
        for (int i = 0; i < 50; i++) b.append("fortune b").append(i).append(i == 7 ? " \u00fc" : "").append("\n%\n");
        Files.writeString(dir.resolve("alpha"), a);
        Files.writeString(dir.resolve("beta"), b);
        Files.writeString(dir.resolve("alpha.dat"), "binary index, ignored");
        Files.writeString(dir.resolve("ascii-art"), "pictures\n%\n");
        FortunesCorpus c = FortunesCorpus.load(dir, 5);
        assertEquals(120, c.fortunesRead());
        assertEquals(1, c.fortunesDropped());
        Set<String> all = new HashSet<>();
        int total = 0;
        for (FortunesCorpus.Split s : FortunesCorpus.Split.values()) { all.addAll(c.fortunes(s)); total += c.fortunes(s).size(); }
        assertEquals(119, total);
        assertEquals(119, all.size(), "a fortune landed in two splits");
        assertEquals(5, c.fortunes(FortunesCorpus.Split.TEST).size());
        assertEquals(5, c.fortunes(FortunesCorpus.Split.VALIDATION).size());
        assertEquals(c.fortunes(FortunesCorpus.Split.TEST), FortunesCorpus.load(dir, 5).fortunes(FortunesCorpus.Split.TEST));
        assertNotEquals(c.fortunes(FortunesCorpus.Split.TEST), FortunesCorpus.load(dir, 6).fortunes(FortunesCorpus.Split.TEST));
        String joined = CharVocabulary.decode(c.ids(FortunesCorpus.Split.TEST), 0, c.ids(FortunesCorpus.Split.TEST).length);
        assertEquals(String.join(FortunesCorpus.SEPARATOR, c.fortunes(FortunesCorpus.Split.TEST)), joined);
    }

    @Test void aMissingFolderNamesThePackage(@TempDir Path dir) {
        Exception e = assertThrows(java.io.FileNotFoundException.class, () -> FortunesCorpus.load(dir.resolve("none"), 1));
        assertTrue(e.getMessage().contains("apt-get install fortunes"), e.getMessage());
    }

    @Test void theInstalledPackageGivesTheDocumentedSplit() throws Exception {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (!ci) org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(FortunesCorpus.DEBIAN_FOLDER),
                "Debian's fortunes is not installed (sudo apt-get install fortunes)");
        FortunesCorpus c = FortunesCorpus.load();
        System.out.print(c.summary());
        // docs/results/text-diffusion.md states these counts for fortunes 1:1.99.1-7.3 (Debian 12)
        int train = c.fortunes(FortunesCorpus.Split.TRAIN).size(), test = c.fortunes(FortunesCorpus.Split.TEST).size();
        assertTrue(train > 10_000, "train has " + train + " fortunes");
        assertEquals(c.fortunes(FortunesCorpus.Split.VALIDATION).size(), test);
        for (FortunesCorpus.Split s : FortunesCorpus.Split.values())
            for (String f : c.fortunes(s)) for (int i = 0; i < f.length(); i++) assertTrue(CharVocabulary.contains(f.charAt(i)));
    }
}
