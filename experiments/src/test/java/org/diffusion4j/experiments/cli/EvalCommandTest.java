package org.diffusion4j.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.diffusion4j.experiments.data.FashionMnist;
import org.diffusion4j.experiments.data.ImageDataset;
import org.diffusion4j.experiments.io.Npy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** {@code d4j eval} end to end on tiny .npy files: the scores, the JSON, and the errors a user can meet. */
class EvalCommandTest {
    @TempDir Path dir;

    private record Result(int exitCode, String out, String err) { }

    private static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new Main(Map.of()), new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    private static ImageDataset testSplit() throws Exception {
        Path folder = FashionMnist.folder(null);
        Assumptions.assumeTrue(Files.isDirectory(folder), "Fashion-MNIST not installed in " + folder);
        return FashionMnist.load(folder, FashionMnist.Split.TEST);
    }

    /** The first n test images as a float32 (n, 1, 28, 28) .npy file. */
    private Path testImagesNpy(ImageDataset test, int n) throws Exception {
        float[] d = new float[n * 784];
        for (int i = 0; i < n; i++) for (int j = 0; j < 784; j++) d[i * 784 + j] = (float) test.scaled(i, j);
        Path f = dir.resolve("test-head.npy");
        Npy.writeFloat32(f, d, n, 1, 28, 28);
        return f;
    }

    @Test
    void scoresTheTestSplitAgainstItselfAsPerfectAndWritesJson() throws Exception {
        ImageDataset test = testSplit();
        Path npy = testImagesNpy(test, test.size());
        Path json = dir.resolve("out/metrics.json");
        Result r = run("--device", "cpu", "eval", "--npy", npy.toString(), "--dataset", "fashion-mnist", "--seed", "4",
                "--pr-rows", "300", "--kid-subsets", "4", "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("FD-FMNIST"), r.out());
        JsonNode m = new ObjectMapper().readTree(json.toFile()).get("metrics");
        // identical sets: the Frechet distance is 0 up to round-off of the 128x128 eigendecompositions
        assertEquals(0, m.get("fd_fmnist").asDouble(), 1e-6);
        assertEquals(10000, m.get("n_generated").asInt());
        assertEquals(3, m.get("pr_k").asInt());
        double kid = m.get("kid_fmnist").asDouble(), se = m.get("kid_fmnist_se").asDouble();
        assertTrue(Math.abs(kid) < 5 * se + 1e-4, "KID of the set against itself " + kid + " +- " + se);
        assertTrue(m.get("classifier_score").asDouble() > 5, "ten balanced classes, confidently classified");
        assertTrue(m.get("precision").asDouble() > 0.5 && m.get("recall").asDouble() > 0.5);
    }

    @Test
    void fewerSamplesWithNAndATinyFile() throws Exception {
        ImageDataset test = testSplit();
        Path npy = testImagesNpy(test, 60);
        Result r = run("--device", "cpu", "eval", "--npy", npy.toString(), "--n", "50", "--pr-rows", "50", "--kid-subsets", "3");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("50 generated vs 10000 reference"), r.out());
        Result tooMany = run("--device", "cpu", "eval", "--npy", npy.toString(), "--n", "61");
        assertEquals(1, tooMany.exitCode());
        assertTrue(tooMany.err().contains("--n must be in [2, 60]"), tooMany.err());
    }

    @Test
    void badShapeAndRangeFailWithMessagesNamingThem() throws Exception {
        Path shape = dir.resolve("shape.npy");
        Npy.writeFloat32(shape, new float[4 * 3 * 28 * 28], 4, 3, 28, 28);
        Result r = run("--device", "cpu", "eval", "--npy", shape.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("[4, 3, 28, 28]") && r.err().contains("(N, 1, 28, 28) or (N, 784)"), r.err());

        float[] d = new float[3 * 784];
        d[5] = -2.5f;
        Path range = dir.resolve("range.npy");
        Npy.writeFloat32(range, d, 3, 784);
        r = run("--device", "cpu", "eval", "--npy", range.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("-2.5") && r.err().contains("outside [-1, 1]"), r.err());

        r = run("--device", "cpu", "eval", "--npy", range.toString(), "--dataset", "cifar10");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("cifar10"), r.err());
    }

    @Test
    void npyAndRunAreAlternativesAndOneIsRequired() {
        assertEquals(2, run("eval").exitCode());
        assertEquals(2, run("eval", "--npy", "a.npy", "--run", "r").exitCode());
    }

    @Test
    void runModeNeedsSamplerStepsAndCountAndAnImageRun() throws Exception {
        Path runs = dir.resolve("runs");
        CliRun trained = CliRun.of("train", "--config", TrainCommandTest.tinyConfig(dir).toString(), "--runs", runs.toString(),
                "--set", "sampling.every=0");
        assertEquals(0, trained.exitCode(), trained.toString());
        Path run = runs.resolve("tiny-cli");
        long linesBefore = Files.readAllLines(run.resolve("metrics.jsonl")).size();

        Result missing = run("--device", "cpu", "eval", "--run", run.toString(), "--sampler", "ddim");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("needs --sampler NAME, --steps N and --n COUNT"), missing.err());

        Result toy = run("--device", "cpu", "eval", "--run", run.toString(), "--sampler", "ddim", "--steps", "3", "--n", "8");
        assertEquals(1, toy.exitCode());
        assertTrue(toy.err().contains("Fashion-MNIST image runs only"), toy.err());
        assertEquals(linesBefore, Files.readAllLines(run.resolve("metrics.jsonl")).size(), "nothing appended on failure");

        Result mixed = run("--device", "cpu", "eval", "--npy", "x.npy", "--sampler", "ddim");
        assertEquals(1, mixed.exitCode());
        assertTrue(mixed.err().contains("go with --run"), mixed.err());
    }
}
