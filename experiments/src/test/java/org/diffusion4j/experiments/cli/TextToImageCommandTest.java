package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.data.FashionMnist;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * experiments/configs/text-to-image.yaml shrunk to seconds: d4j train writes the tokenizer, the prompt/sample pairs and
 * the report; d4j sample --prompt / --prompts draws for prompts, with guidance; bad prompts and misuse are named.
 */
class TextToImageCommandTest {
    @TempDir static Path dir;
    static Path run;

    @BeforeAll
    static void trainATinyTextToImageRun() {
        Path folder = FashionMnist.folder(null);
        Assumptions.assumeTrue(Files.isRegularFile(folder.resolve("train-images-idx3-ubyte.gz"))
                        || Files.isRegularFile(folder.resolve("train-images-idx3-ubyte")),
                "Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)");
        Path runs = dir.resolve("runs");
        CliRun train = CliRun.of("train", "--config", "configs/text-to-image.yaml", "--runs", runs.toString(), "--device", "cpu",
                "--set", "data.scenes=40", "--set", "model.channels=32", "--set", "model.multipliers=[1,2]",
                "--set", "model.attentionLevels=[1]", "--set", "model.resBlocks=1", "--set", "model.textWidth=16",
                "--set", "model.textDepth=1", "--set", "model.textHeads=2", "--set", "model.crossHeads=2",
                "--set", "training.batchSize=2", "--set", "training.steps=2", "--set", "optimizer.warmupSteps=1",
                "--set", "checkpoint.every=2", "--set", "sampling.every=2", "--set", "sampling.count=2", "--set", "sampling.steps=2",
                "--set", "training.logEvery=1", "--set", "diffusion.timesteps=20");
        assertEquals(0, train.exitCode(), train.toString());
        run = runs.resolve("text-to-image");
    }

    @Test void theRunHoldsItsTokenizerAndThePromptSamplePairs() throws IOException {
        assertTrue(Files.exists(run.resolve("tokenizer.json")));
        List<String> prompts = Files.readAllLines(run.resolve("samples/prompts.txt"));
        assertEquals(2, prompts.size());
        assertEquals(4 * (2 + 32 + 2), ImageIO.read(run.resolve("samples/prompt-0.png").toFile()).getWidth(),
                "one 32x32 tile with the grid's 2-pixel margins, enlarged 4x");
        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.contains("Prompt / sample pairs") && html.contains(org.diffusion4j.experiments.report.Html.escape(prompts.get(0))),
                "the report shows the prompts");
    }

    @Test void samplesForAPromptWithGuidanceAndForAPromptsFile() throws IOException {
        String prompt = Files.readAllLines(run.resolve("samples/prompts.txt")).get(0);
        Path grid = dir.resolve("grid.png");
        CliRun r = CliRun.of("sample", "--run", run.toString(), "--device", "cpu", "--prompt", prompt, "--guidance", "3",
                "--n", "4", "--sampler", "ddim", "--steps", "2", "--out", grid.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("prompt 0 (samples 0..3): " + prompt), r.out());
        assertTrue(r.out().contains("4 samples") && r.out().contains("NFE 2"), r.out());
        assertTrue(Files.exists(grid));
        String second = Files.readAllLines(run.resolve("samples/prompts.txt")).get(1);
        Path file = dir.resolve("prompts.txt");
        Files.write(file, List.of(prompt, "", second));   // blank lines are skipped
        Path two = dir.resolve("two.png");
        CliRun p = CliRun.of("sample", "--run", run.toString(), "--device", "cpu", "--prompts", file.toString(), "--n", "3",
                "--sampler", "ddim", "--steps", "2", "--out", two.toString());
        assertEquals(0, p.exitCode(), p.toString());
        assertTrue(p.out().contains("prompt 1 (samples 3..5): " + second) && p.out().contains("6 samples"), p.out());
        var image = ImageIO.read(two.toFile());
        assertTrue(image.getWidth() > image.getHeight(), "one row of 3 samples per prompt: 2 rows, 3 columns");
    }

    @Test void unknownWordsAndMisuseAreNamed() {
        CliRun r = CliRun.of("sample", "--run", run.toString(), "--device", "cpu", "--prompt", "a purple elephant on the left",
                "--n", "2", "--sampler", "ddim", "--steps", "2", "--out", dir.resolve("x.png").toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("purple, elephant") && r.err().contains("does not know"), r.err());
        r = CliRun.of("sample", "--run", run.toString(), "--device", "cpu", "--n", "2", "--sampler", "ddim", "--steps", "2",
                "--out", dir.resolve("y.png").toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("text-to-image run") && r.err().contains("--prompt"), r.err());
        r = CliRun.of("sample", "--analytic", "gaussian", "--prompt", "a bag", "--n", "2", "--sampler", "ddim",
                "--out", dir.resolve("z.png").toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--prompt"), r.err());
    }

    @Test void aPromptForARunThatReadsNoTextIsNamed(@TempDir Path other) {
        CliRun train = CliRun.of("train", "--config", "configs/demo-swiss-roll.yaml", "--runs", other.toString(), "--device", "cpu",
                "--set", "training.steps=2", "--set", "checkpoint.every=2", "--set", "sampling.every=0");
        assertEquals(0, train.exitCode(), train.toString());
        Path plain;
        try (var s = Files.list(other)) { plain = s.filter(Files::isDirectory).findFirst().orElseThrow(); } catch (IOException e) { throw new AssertionError(e); }
        CliRun r = CliRun.of("sample", "--run", plain.toString(), "--device", "cpu", "--prompt", "a bag", "--n", "2",
                "--sampler", "ddim", "--steps", "2", "--out", other.resolve("p.png").toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("need a text-to-image run") && r.err().contains("mlp run"), r.err());
    }
}
