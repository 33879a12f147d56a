package org.diffusion4j.experiments.scenes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class WordTokenizerTest {
    @TempDir Path dir;

    private static final WordTokenizer T = WordTokenizer.build(List.of("A small dark t-shirt, on the left.",
            "Two bags: a big one at the top and a small one below it"));

    @Test void theVocabularyIsSpecialsThenTheSortedTrainingWords() {
        assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>", "a", "and", "at", "bags", "below", "big", "dark", "it",
                "left", "on", "one", "small", "t-shirt", "the", "top", "two"), T.vocabulary());
        assertEquals(List.of("it's", "a", "t-shirt", "x2"), WordTokenizer.words("  It's A T-shirt!! (x2) "));
    }

    @Test void encodingPadsAndDecodingGivesTheWordsBack() {
        int[] ids = T.encode("A SMALL dark T-shirt on the left", 12);
        int a = T.id("a"), small = T.id("small"), dark = T.id("dark"), shirt = T.id("t-shirt"), on = T.id("on"),
                the = T.id("the"), left = T.id("left");
        assertArrayEquals(new int[]{WordTokenizer.BOS, a, small, dark, shirt, on, the, left, WordTokenizer.EOS, 0, 0, 0}, ids);
        assertEquals("a small dark t-shirt on the left", T.decode(ids));
        assertEquals(9, T.length("A SMALL dark T-shirt on the left"));
        int[] flat = T.encodeAll(List.of("two bags", "a big one"), 6);
        assertArrayEquals(new int[]{2, T.id("two"), T.id("bags"), 3, 0, 0, 2, a, T.id("big"), T.id("one"), 3, 0}, flat);
    }

    @Test void unknownWordsBecomeUnkOrAreRefusedByName() {
        int[] ids = T.encode("a shiny t-shirt", 8);
        assertEquals(WordTokenizer.UNK, ids[2]);
        assertEquals("a <unk> t-shirt", T.decode(ids));
        var e = assertThrows(IllegalArgumentException.class, () -> T.encodeStrict("a shiny t-shirt", 8));
        assertTrue(e.getMessage().contains("'shiny'") && e.getMessage().contains(T.size() + " ids"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> T.encode("a small dark t-shirt", 5));
        assertTrue(e.getMessage().contains("takes 6 tokens") && e.getMessage().contains("maxLen 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> T.word(99));
        assertTrue(e.getMessage().contains("id 99"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WordTokenizer.build(List.of(" ,. ")));
        assertTrue(e.getMessage().contains("no words"), e.getMessage());
    }

    @Test void savedAndLoadedItIsTheSameTokenizer() throws IOException {
        Path f = dir.resolve("tokenizer.json");
        T.save(f);
        WordTokenizer back = WordTokenizer.load(f);
        assertEquals(T, back);
        assertArrayEquals(T.encode("two bags below it", 9), back.encode("two bags below it", 9));
    }

    @Test void aBrokenFileIsRefusedSayingWhatIsWrong() throws IOException {
        Path f = dir.resolve("t.json");
        Files.writeString(f, "{\"format\": \"something-else\"}");
        var e = assertThrows(IOException.class, () -> WordTokenizer.load(f));
        assertTrue(e.getMessage().contains("not a word tokenizer"), e.getMessage());
        Files.writeString(f, "{\"format\": \"diffusion4j-word-tokenizer\", \"version\": 1, \"vocabulary\": [\"<pad>\", \"<unk>\", \"<bos>\", \"<eos>\", \"Bag\"]}");
        e = assertThrows(IOException.class, () -> WordTokenizer.load(f));
        assertTrue(e.getMessage().contains("'Bag' is not one lower-case word"), e.getMessage());
        Files.writeString(f, "{\"format\": \"diffusion4j-word-tokenizer\", \"version\": 1, \"vocabulary\": [\"<unk>\", \"bag\"]}");
        e = assertThrows(IOException.class, () -> WordTokenizer.load(f));
        assertTrue(e.getMessage().contains("must start with"), e.getMessage());
        assertThrows(java.io.FileNotFoundException.class, () -> WordTokenizer.load(dir.resolve("missing.json")));
    }
}
