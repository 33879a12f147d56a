package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.data.FashionMnist;
import org.diffusion4j.experiments.data.ImageDataset;
import org.diffusion4j.experiments.io.Npy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** d4j inpaint on a two-step UNet run shrunk to seconds: the known pixels come back exactly, bad input is named. */
class InpaintCommandTest {
    @TempDir static Path dir;
    static Path run;

    @BeforeAll
    static void trainATinyImageRun() {
        Path folder = FashionMnist.folder(null);
        Assumptions.assumeTrue(Files.isRegularFile(folder.resolve("t10k-images-idx3-ubyte.gz"))
                        || Files.isRegularFile(folder.resolve("t10k-images-idx3-ubyte")),
                "Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)");
        Path runs = dir.resolve("runs");
        CliRun train = CliRun.of("train", "--config", "configs/ddpm-fashion-mnist.yaml", "--runs", runs.toString(),
                "--set", "model.channels=32", "--set", "model.multipliers=[1]", "--set", "model.attentionLevels=[]",
                "--set", "model.resBlocks=1", "--set", "training.batchSize=2", "--set", "training.steps=2",
                "--set", "checkpoint.every=2", "--set", "sampling.every=0", "--set", "training.logEvery=1",
                "--set", "diffusion.timesteps=20");
        assertEquals(0, train.exitCode(), train.toString());
        run = runs.resolve("ddpm-fashion-mnist");
    }

    @Test
    void replacementKeepsTheKnownPixelsExactlyAndWritesTheGrid() throws IOException {
        Path npy = dir.resolve("centre.npy"), grid = dir.resolve("centre.png");
        CliRun r = CliRun.of("inpaint", "--run", run.toString(), "--images", "test:3-5", "--mask", "center", "--sampler", "ddim",
                "--steps", "4", "--batch", "2", "--out", grid.toString(), "--npy", npy.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("NFE 4 per image") && r.out().contains("largest change of a known pixel 0"), r.out());
        Npy.Array a = Npy.read(npy);
        assertArrayEquals(new int[]{3, 1, 28, 28}, a.shape());
        ImageDataset test = FashionMnist.load(FashionMnist.folder(null), FashionMnist.Split.TEST);
        double[][] rows = a.asRows();
        for (int i = 0; i < 3; i++) {
            double[] original = test.image(3 + i);
            for (int y = 0; y < 28; y++) for (int x = 0; x < 28; x++) {
                boolean unknown = y >= 7 && y < 21 && x >= 7 && x < 21;
                // the run computes in f32: the known pixels are the originals rounded to float, exactly
                if (!unknown) assertEquals((float) original[y * 28 + x], rows[i][y * 28 + x], 0.0, "known pixel " + y + "," + x);
            }
        }
        BufferedImage img = ImageIO.read(grid.toFile());
        assertEquals(3 * 30 + 2, img.getWidth(), "three columns of 28 pixels and 2-pixel borders");
        assertEquals(3 * 30 + 2, img.getHeight(), "original, masked and result rows");
        // batches of 2 give the same images as one batch of 3 (image i uses stream i)
        Path whole = dir.resolve("whole.npy");
        CliRun one = CliRun.of("inpaint", "--run", run.toString(), "--images", "test:3-5", "--mask", "center", "--steps", "4",
                "--npy", whole.toString());
        assertEquals(0, one.exitCode(), one.toString());
        assertArrayEquals(a.data(), Npy.read(whole).data(), 0.0);
    }

    /**
     * --fd --json: the table holds the result and both baselines; the mean-image fill's PSNR is recomputed here from
     * the training split by a plain loop, and the result's FD equals d4j eval's FD of the same images.
     */
    @Test
    void fdScoresTheResultAndBothBaselinesLikeEval() throws IOException {
        Path npy = dir.resolve("fd.npy"), json = dir.resolve("fd.json");
        CliRun r = CliRun.of("inpaint", "--run", run.toString(), "--images", "test:0-7", "--mask", "center", "--steps", "2",
                "--npy", npy.toString(), "--fd", "--json", json.toString(), "--kid-subsets", "2");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("| mean-image fill |") && r.out().contains("| nearest-neighbour fill |"), r.out());
        JsonNode scores = new ObjectMapper().readTree(json.toFile()).get("scores");
        assertEquals(3, scores.size(), scores.toString());

        ImageDataset train = FashionMnist.load(FashionMnist.folder(null), FashionMnist.Split.TRAIN);
        ImageDataset test = FashionMnist.load(FashionMnist.folder(null), FashionMnist.Split.TEST);
        double[] mean = new double[28 * 28];
        for (int i = 0; i < train.size(); i++) {
            double[] img = train.image(i);
            for (int j = 0; j < mean.length; j++) mean[j] += img[j] / train.size();
        }
        double psnr = 0;
        for (int i = 0; i < 8; i++) {
            double[] original = test.image(i);
            double se = 0;
            for (int y = 0; y < 28; y++) for (int x = 0; x < 28; x++) {
                boolean unknown = y >= 7 && y < 21 && x >= 7 && x < 21;
                double o = (float) original[y * 28 + x], v = unknown ? mean[y * 28 + x] : o;
                se += (o - v) * (o - v);
            }
            psnr += 10 * Math.log10(4.0 / (se / (28 * 28))) / 8;
        }
        assertEquals(psnr, scores.get("mean-image fill").get("psnr").asDouble(), 1e-9);

        // the table scores the results clipped to [-1, 1] (as eval --run does); eval --npy refuses values outside
        Npy.Array a = Npy.read(npy);
        double[] clipped = a.data().clone();
        for (int j = 0; j < clipped.length; j++) clipped[j] = Math.max(-1, Math.min(1, clipped[j]));
        Path inRange = dir.resolve("fd-clipped.npy");
        Npy.writeFloat64(inRange, clipped, a.shape());
        Path evalJson = dir.resolve("eval.json");
        CliRun eval = CliRun.of("--device", "cpu", "eval", "--npy", inRange.toString(), "--kid-subsets", "2", "--json", evalJson.toString());
        assertEquals(0, eval.exitCode(), eval.toString());
        double evalFd = new ObjectMapper().readTree(evalJson.toFile()).get("metrics").get("fd_fmnist").asDouble();
        assertEquals(evalFd, scores.get("result").get("fd_fmnist").asDouble(), 1e-9 * Math.max(1, evalFd));

        CliRun few = CliRun.of("inpaint", "--run", run.toString(), "--images", "test:0-2", "--mask", "center", "--steps", "2",
                "--npy", npy.toString(), "--fd");
        assertEquals(2, few.exitCode());
        assertTrue(few.err().contains("at least 4 images") && few.err().contains("got 3"), few.err());
    }

    @Test
    void repaintCountsItsExtraEvaluations() {
        CliRun r = CliRun.of("inpaint", "--run", run.toString(), "--images", "test:0", "--mask", "left", "--sampler", "ddpm",
                "--steps", "6", "--jump", "2", "--resample", "3", "--npy", dir.resolve("rp.npy").toString());
        assertEquals(0, r.exitCode(), r.toString());
        // 6 moves down and two extra walks of 2 moves from positions 2 and 4
        assertTrue(r.out().contains("RePaint ddpm") && r.out().contains("NFE 14 per image"), r.out());
    }

    @Test
    void badInputIsNamed() throws IOException {
        String out = dir.resolve("x.npy").toString();
        Path smallMask = dir.resolve("small.png");
        ImageIO.write(new BufferedImage(14, 14, BufferedImage.TYPE_INT_RGB), "png", smallMask.toFile());
        CliRun r = CliRun.of("inpaint", "--run", run.toString(), "--images", "test:0", "--mask", smallMask.toString(), "--npy", out);
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("14x14") && r.err().contains("expected 28x28"), r.err());
        Path loud = dir.resolve("loud.npy");
        double[] v = new double[28 * 28];
        v[5] = 3.5;
        Npy.writeFloat64(loud, v, 1, 1, 28, 28);
        r = CliRun.of("inpaint", "--run", run.toString(), "--images", loud.toString(), "--mask", "center", "--npy", out);
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("3.5") && r.err().contains("outside [-1, 1]"), r.err());
        r = CliRun.of("inpaint", "--run", run.toString(), "--images", "test:0", "--mask", "circle", "--npy", out);
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("circle") && r.err().contains("center"), r.err());
        r = CliRun.of("inpaint", "--run", run.toString(), "--images", "test:0", "--mask", "center", "--sampler", "edm-heun", "--npy", out);
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("ddpm or ddim"), r.err());
    }

    /** ILVR with the unconditional run: the 7x7 block means of every result are those of the original (f32 rounding). */
    @Test
    void ilvrUpscalesWithTheUnconditionalRunAndKeepsTheLowPassPart() throws IOException {
        Path npy = dir.resolve("ilvr.npy");
        CliRun r = CliRun.of("upscale", "--run", run.toString(), "--ilvr", "4", "--images", "test:0-1", "--sampler", "ddpm",
                "--steps", "4", "--npy", npy.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("ILVR ddpm") && r.out().contains("7x7 -> 28x28") && r.out().contains("NFE 4"), r.out());
        double[][] rows = Npy.read(npy).asRows();
        ImageDataset test = FashionMnist.load(FashionMnist.folder(null), FashionMnist.Split.TEST);
        for (int i = 0; i < 2; i++) {
            double[] original = test.image(i);
            for (int by = 0; by < 7; by++) for (int bx = 0; bx < 7; bx++) {
                double a = 0, b = 0;
                for (int j = 0; j < 4; j++) for (int k = 0; k < 4; k++) {
                    a += rows[i][(4 * by + j) * 28 + 4 * bx + k];
                    b += original[(4 * by + j) * 28 + 4 * bx + k];
                }
                assertEquals(b / 16, a / 16, 1e-5, "block " + by + "," + bx + " of image " + i);
            }
        }
        CliRun plain = CliRun.of("upscale", "--run", run.toString(), "--images", "test:0", "--npy", npy.toString());
        assertEquals(2, plain.exitCode());
        assertTrue(plain.err().contains("not a super-resolution run") && plain.err().contains("--ilvr"), plain.err());
    }

    @Test
    void aToyRunIsNotAnImageRun(@TempDir Path toy) throws IOException {
        Path runs = toy.resolve("runs");
        CliRun train = CliRun.of("train", "--config", TrainCommandTest.tinyConfig(toy).toString(), "--runs", runs.toString(),
                "--set", "sampling.every=0", "--set", "training.steps=2");
        assertEquals(0, train.exitCode(), train.toString());
        CliRun r = CliRun.of("inpaint", "--run", runs.resolve("tiny-cli").toString(), "--images", "test:0", "--mask", "center",
                "--npy", toy.resolve("x.npy").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("not on images"), r.err());
    }
}
