package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.data.FashionMnist;
import org.diffusion4j.experiments.io.Npy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * An SR3 run shrunk to seconds: the config's low-resolution condition reaches the UNet through the unchanged
 * trainer and samplers; d4j upscale samples it and scores it against nearest and bicubic upsampling.
 */
class UpscaleCommandTest {
    @TempDir static Path dir;
    static Path run;

    @BeforeAll
    static void trainATinySuperResolutionRun() {
        Path folder = FashionMnist.folder(null);
        Assumptions.assumeTrue(Files.isRegularFile(folder.resolve("t10k-images-idx3-ubyte.gz"))
                        || Files.isRegularFile(folder.resolve("t10k-images-idx3-ubyte")),
                "Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)");
        Path runs = dir.resolve("runs");
        CliRun train = CliRun.of("train", "--config", "configs/sr3-fashion-mnist-7to28.yaml", "--runs", runs.toString(),
                "--set", "model.channels=32", "--set", "model.multipliers=[1]", "--set", "model.attentionLevels=[]",
                "--set", "model.resBlocks=1", "--set", "training.batchSize=2", "--set", "training.steps=2",
                "--set", "checkpoint.every=2", "--set", "sampling.every=2", "--set", "sampling.count=2", "--set", "sampling.steps=2",
                "--set", "training.logEvery=1", "--set", "diffusion.timesteps=20");
        assertEquals(0, train.exitCode(), train.toString());
        run = runs.resolve("sr3-fashion-mnist-7to28");
        assertTrue(Files.exists(run.resolve("samples/step-2.png")), "the sample grid of an SR run is conditioned on test images");
    }

    @Test
    void upscaleWritesResultsAndScoresThemAgainstTheBaselines() throws IOException {
        Path npy = dir.resolve("up.npy"), grid = dir.resolve("up.png");
        CliRun r = CliRun.of("upscale", "--run", run.toString(), "--images", "test:0-2", "--sampler", "ddim", "--steps", "3",
                "--batch", "2", "--npy", npy.toString(), "--out", grid.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("7x7 -> 28x28") && r.out().contains("NFE 3") && r.out().contains("bicubic: PSNR"), r.out());
        assertArrayEquals(new int[]{3, 1, 28, 28}, Npy.read(npy).shape());
        assertEquals(4 * 30 + 2, ImageIO.read(grid.toFile()).getHeight(), "rows of nearest, bicubic, result, original");
        Path whole = dir.resolve("whole.npy");
        CliRun one = CliRun.of("upscale", "--run", run.toString(), "--images", "test:0-2", "--steps", "3", "--npy", whole.toString());
        assertEquals(0, one.exitCode(), one.toString());
        assertArrayEquals(Npy.read(npy).data(), Npy.read(whole).data(), 0.0, "image i uses stream i whatever the batch");
    }

    /** --json: the nearest baseline's PSNR recomputed here from block means by a plain loop; FD rows with --fd. */
    @Test
    void jsonHoldsTheResultAndBothBaselines() throws IOException {
        Path json = dir.resolve("up.json");
        CliRun r = CliRun.of("upscale", "--run", run.toString(), "--images", "test:0-3", "--steps", "2",
                "--npy", dir.resolve("up4.npy").toString(), "--fd", "--kid-subsets", "2", "--json", json.toString());
        assertEquals(0, r.exitCode(), r.toString());
        com.fasterxml.jackson.databind.JsonNode scores = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).get("scores");
        assertEquals(3, scores.size(), scores.toString());
        for (String set : new String[]{"result", "nearest", "bicubic"}) assertTrue(scores.get(set).has("fd_fmnist"), set);
        org.diffusion4j.experiments.data.ImageDataset test = org.diffusion4j.experiments.data.FashionMnist.load(
                org.diffusion4j.experiments.data.FashionMnist.folder(null), org.diffusion4j.experiments.data.FashionMnist.Split.TEST);
        double psnr = 0;
        for (int i = 0; i < 4; i++) {
            double[] o = test.image(i);
            double se = 0;
            for (int y = 0; y < 28; y++) for (int x = 0; x < 28; x++) {
                double block = 0;
                for (int j = 0; j < 4; j++) for (int k = 0; k < 4; k++) block += (float) o[(y / 4 * 4 + j) * 28 + x / 4 * 4 + k];
                double d = (float) o[y * 28 + x] - block / 16;
                se += d * d;
            }
            psnr += 10 * Math.log10(4.0 / (se / (28 * 28))) / 4;
        }
        assertEquals(psnr, scores.get("nearest").get("psnr").asDouble(), 1e-6);
    }

    @Test
    void anSrRunAskedToInpaintAndAPlainRunAskedToUpscaleAreNamed(@TempDir Path other) {
        CliRun r = CliRun.of("inpaint", "--run", run.toString(), "--images", "test:0", "--mask", "center", "--npy",
                other.resolve("x.npy").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("super-resolution run") && r.err().contains("d4j upscale"), r.err());
        CliRun bad = CliRun.of("train", "--config", "configs/sr3-fashion-mnist-7to28.yaml", "--runs", other.toString(),
                "--set", "model.superResolution=3", "--set", "training.steps=1");
        assertNotEquals(0, bad.exitCode());
        assertTrue(bad.err().contains("model.superResolution"), bad.err());
    }
}
