package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.text.CharVocabulary;
import org.diffusion4j.experiments.text.TextModelSpec;
import org.diffusion4j.experiments.text.TextRunFolder;
import org.diffusion4j.experiments.text.TextTrainer;
import org.diffusion4j.experiments.text.TextWindows;
import org.diffusion4j.tensor.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code d4j sample --run DIR --n N --length L} on tiny text runs: N texts of L characters and the NFE; a bad length is named. */
class TextSampleCommandTest {
    private static final String TEXT = "the cat sat on the mat.\n%\nthe dog sat on the log.\n%\n".repeat(20);

    private static TextModelSpec tiny(TextModelSpec.Kind kind) { return new TextModelSpec(kind, 12, 16, 1, 2, 8, 3e-3, "linear", 5); }

    @Test void sampleCommandPrintsTextFromARun(@TempDir Path dir) throws Exception {
        TextWindows windows = new TextWindows(CharVocabulary.encode(TEXT), 12);
        for (TextModelSpec.Kind kind : TextModelSpec.Kind.values()) {
            TextTrainer t = new TextTrainer(tiny(kind), Backends.cpu());
            t.train(windows, 5, 60, 5, s -> { });
            Path run = dir.resolve(kind.name());
            TextRunFolder.write(run, t, 5, 1.0);
            StringWriter out = new StringWriter(), err = new StringWriter();
            int code = Main.run(new Main(java.util.Map.of()), new PrintWriter(out), new PrintWriter(err),
                    "--device", "cpu", "sample", "--run", run.toString(), "--n", "3", "--length", "10");
            assertEquals(0, code, err.toString());
            String[] lines = out.toString().split("--- sample ");
            assertEquals(4, lines.length, out.toString());
            assertTrue(out.toString().contains("3 samples of 10 characters, NFE "), out.toString());
            code = Main.run(new Main(java.util.Map.of()), new PrintWriter(new StringWriter()), new PrintWriter(err = new StringWriter()),
                    "--device", "cpu", "sample", "--run", run.toString(), "--n", "3", "--length", "13");
            assertEquals(2, code);
            assertTrue(err.toString().contains("--length 13") && err.toString().contains("1..12"), err.toString());
        }
    }

}
