package org.diffusion4j.experiments.text;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.nn.TokenTransformer;
import org.diffusion4j.tensor.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A tiny text run end to end on a synthetic text: training lowers the loss, the run folder reloads the same network,
 * and {@code d4j sample --run DIR --n N --length L} prints N texts of L characters with the NFE.
 */
class TextRunTest {
    private static final String TEXT = "the cat sat on the mat.\n%\nthe dog sat on the log.\n%\n".repeat(20);

    static final String TEXT_FOR_TESTS = TEXT;

    static TextModelSpec tiny(TextModelSpec.Kind kind) { return new TextModelSpec(kind, 12, 16, 1, 2, 8, 3e-3, "linear", 5); }

    @Test void trainingLowersTheLossAndTheRunFolderReloadsTheNetwork(@TempDir Path dir) throws Exception {
        TextWindows windows = new TextWindows(CharVocabulary.encode(TEXT), 12);
        for (TextModelSpec.Kind kind : TextModelSpec.Kind.values()) {
            TextTrainer t = new TextTrainer(tiny(kind), Backends.cpu());
            double[] first = {Double.NaN}, last = {Double.NaN};
            long steps = t.train(windows, 150, 60, 10, s -> { if (Double.isNaN(first[0])) first[0] = s.loss(); last[0] = s.loss(); });
            assertEquals(150, steps, kind + " stopped early");
            assertTrue(last[0] < first[0] - 1.0, kind + ": running loss " + first[0] + " -> " + last[0] + " bits/char");
            Path run = dir.resolve(kind.name());
            TextRunFolder.write(run, t, steps, 1.0);
            assertTrue(TextRunFolder.isTextRun(run));
            assertEquals(tiny(kind), TextRunFolder.readSpec(run).spec());
            TokenTransformer back = TextRunFolder.load(run, Backends.cpu());
            int[] x = windows.random(2, 1, 1);
            try (NoGrad g = NoGrad.enter()) {
                assertArrayEquals(t.network().forward(x, 2, 12).value().toDoubleArray(), back.forward(x, 2, 12).value().toDoubleArray(), 0.0);
            }
        }
    }

    @Test void randomWindowsAreSlicesOfTheText() {
        int[] ids = CharVocabulary.encode(TEXT);
        TextWindows w = new TextWindows(ids, 12);
        int[] x = w.random(5, 3, 9);
        String text = TEXT;
        for (int i = 0; i < 5; i++) assertTrue(text.contains(CharVocabulary.decode(x, i * 12, 12)));
        assertArrayEquals(x, w.random(5, 3, 9));
        assertEquals(TEXT.substring(0, 24), CharVocabulary.decode(w.consecutive(2), 0, 24));
        var e = assertThrows(IllegalArgumentException.class, () -> w.consecutive(w.count() + 1));
        assertTrue(e.getMessage().contains("characters"), e.getMessage());
    }
}
