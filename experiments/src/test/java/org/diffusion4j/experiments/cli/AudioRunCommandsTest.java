package org.diffusion4j.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.diffusion4j.experiments.audio.AudioDataset;
import org.diffusion4j.experiments.audio.DigitClassifierWeights;
import org.diffusion4j.experiments.audio.DigitFeatures;
import org.diffusion4j.experiments.audio.DigitScores;
import org.diffusion4j.experiments.audio.Wav;
import org.diffusion4j.experiments.io.Npy;
import org.diffusion4j.tensor.Backends;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The audio path of the CLI end to end on a tiny run: a fake spoken-digits folder of tones (no synthesiser needed), a
 * tiny DiffWave trained for 4 steps, a digit classifier trained for one batch, then {@code d4j sample --wav} and
 * {@code d4j eval --run} with their files, metrics line and report.
 */
class AudioRunCommandsTest {
    @TempDir static Path dir;
    static Path data, runDir, classifier;

    private record Result(int exitCode, String out, String err) { }

    private static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new Main(Map.of()), new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** A spoken-digits folder of 1-s tones, 250 + 250 d Hz for digit d: 70 training clips and 20 test clips. */
    static Path fakeDigits(Path folder) throws Exception {
        StringBuilder manifest = new StringBuilder("# diffusion4j spoken-digits v1\n# spec\tfake tones for a test\n"
                + "file\tsplit\tsynthesiser\tvoice\tspeaker\tdigit\ttake\targs\tgain\tsourceRate\tspokenSamples\n");
        for (String split : List.of("train", "test")) {
            Files.createDirectories(folder.resolve("clips").resolve(split));
            int count = split.equals("train") ? 70 : 20;
            for (int k = 0; k < count; k++) {
                int digit = k % 10;
                double[] x = new double[8000];
                for (int i = 2000; i < 6000; i++) x[i] = 0.5 * Math.sin(2 * Math.PI * (250 + 250 * digit) * i / 8000.0 + k);
                String file = "clips/" + split + "/" + digit + "_tone_" + k + ".wav";
                Wav.write(folder.resolve(file), x, 8000);
                manifest.append(String.join("\t", file, split, "tone", "v" + k, "s" + k, "" + digit, "0", "-", "0.5", "8000", "4000"))
                        .append('\n');
            }
        }
        Files.writeString(folder.resolve("manifest.tsv"), manifest);
        return folder;
    }

    @BeforeAll static void tinyRunAndClassifier() throws Exception {
        data = fakeDigits(dir.resolve("digits"));
        Path config = dir.resolve("tiny-wave.yaml");
        Files.writeString(config, """
                name: tiny-wave
                seed: 2
                device: cpu
                data: {dataset: spoken-digits, folder: "%s"}
                model: {type: diffwave, channels: 32, depth: 2, dilationCycle: 2, hidden: 8, classConditional: true, classes: 10}
                diffusion: {objective: eps, timesteps: 20, betaEnd: 0.2}
                optimizer: {lr: 0.002, warmupSteps: 1}
                training: {batchSize: 2, steps: 2, logEvery: 1, emaDecay: 0}
                checkpoint: {every: 2}
                sampling: {every: 2, count: 2, sampler: ddim, steps: 2}
                """.formatted(data.toString().replace("\\", "/")));
        Result train = run("train", "--config", config.toString(), "--runs", dir.resolve("runs").toString());
        assertEquals(0, train.exitCode(), train.err() + train.out());
        runDir = dir.resolve("runs").resolve("tiny-wave");
        classifier = dir.resolve("digit-classifier.safetensors");
        Result cls = run("--device", "cpu", "train-digit-classifier", "--data", data.toString(), "--epochs", "1", "--out", classifier.toString());
        assertEquals(0, cls.exitCode(), cls.err() + cls.out());
        assertTrue(cls.out().contains("70 training clips, 20 test-voice clips"), cls.out());
        double recorded = Double.parseDouble(DigitClassifierWeights.read(classifier, Backends.cpu()).metadata().get("test_accuracy"));
        assertTrue(recorded >= 0 && recorded <= 1, "accuracy " + recorded);
    }

    @Test void sampleWritesAWavPerClipNamedByItsDigitAndASpectrogramGrid() throws Exception {
        Path wavs = dir.resolve("wavs"), png = dir.resolve("grid.png"), npy = dir.resolve("clips.npy");
        Result r = run("--device", "cpu", "sample", "--run", runDir.toString(), "--sampler", "ddim", "--steps", "2", "--n", "3",
                "--class", "7", "--wav", wavs.toString(), "--out", png.toString(), "--npy", npy.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("WAV files: 3 in"), r.out());
        assertTrue(Files.size(png) > 100);
        Npy.Array a = Npy.read(npy);
        assertArrayEquals(new int[]{3, 1, 8000}, a.shape());
        for (int i = 0; i < 3; i++) {
            double[] wav = Wav.read(wavs.resolve("sample-" + i + "-digit-7.wav"), 8000, 8000).samples();
            for (int j = 0; j < 8000; j += 97) {   // 16-bit PCM of the clipped sample: round(x 32767) / 32768
                double x = Math.max(-1, Math.min(1, a.data()[i * 8000 + j]));
                assertEquals(Math.round(x * 32767) / 32768.0, wav[j], 1e-12, "clip " + i + " sample " + j);
            }
        }
        Result analytic = run("sample", "--analytic", "gaussian", "--sampler", "ddim", "--n", "2", "--wav", wavs.toString());
        assertEquals(2, analytic.exitCode());
        assertTrue(analytic.err().contains("--wav needs a spoken-digits --run"), analytic.err());
    }

    @Test void evalScoresTheClipsAppendsAMetricsLineAndPutsPlayersInTheReport() throws Exception {
        Path json = dir.resolve("eval.json");
        Result r = run("--device", "cpu", "eval", "--run", runDir.toString(), "--sampler", "ddim", "--steps", "2", "--n", "12",
                "--digit-classifier", classifier.toString(), "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err() + r.out());
        assertTrue(r.out().contains("digit recognition") && r.out().contains("floors: test voices"), r.out());
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, doc.get("nfe").asInt());
        JsonNode m = doc.get("metrics");
        assertEquals(12, m.get("n_generated").asInt());
        assertEquals(20, m.get("n_reference").asInt());

        // the recognition rate again, independently: the kept WAVs (digits 0, 1, 2, ... in turn) through the classifier
        Path kept = runDir.resolve("samples").resolve("eval-step-2");
        double[][] clips = new double[12][];
        int[] asked = new int[12];
        for (int i = 0; i < 12; i++) {
            asked[i] = i % 10;
            clips[i] = Wav.read(kept.resolve("sample-" + i + "-digit-" + asked[i] + ".wav"), 8000, 8000).samples();
        }
        var loaded = DigitClassifierWeights.read(classifier, Backends.cpu());
        double again = DigitScores.recognitionRate(DigitFeatures.of(loaded.model(), clips, Backends.cpu()).predictions(), asked);
        // 16-bit rounding of the WAVs may move one clip across a decision boundary, no more
        assertEquals(again, m.get("digit_recognition").asDouble(), 1.0 / 12 + 1e-12);
        double testAccuracy = DigitFeatures.accuracy(loaded.model(), AudioDataset.load(data, "test"), Backends.cpu());
        assertEquals(testAccuracy, doc.get("floors").get("test_voices_accuracy").asDouble(), 1e-12);

        List<String> lines = Files.readAllLines(runDir.resolve("metrics.jsonl"));
        JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertEquals("eval", last.get("kind").asText());
        assertEquals(m.get("fd_digits").asDouble(), last.get("fd_digits").asDouble(), 0.0);
        assertTrue(last.has("floor_fd_test_half_vs_half"));

        String html = Files.readString(runDir.resolve("report.html"));
        assertTrue(html.contains("<audio controls"), "no audio player in the report");
        assertTrue(html.contains("data:audio/wav;base64,UklGR"), "the WAVs are not embedded");     // base64 of "RIFF"
        assertTrue(html.contains("Clips of the newest evaluation (eval-step-2)") && html.contains("Samples of step 2"), "sections");
        assertTrue(html.contains("sample-11-digit-1.wav"), "the kept clips are listed");
        assertFalse(html.contains("src=\"samples/"), "the page must not link to files");

        Result unconditionalOnly = run("--device", "cpu", "eval", "--npy", dir.resolve("x.npy").toString(), "--guidance", "2");
        assertNotEquals(0, unconditionalOnly.exitCode());
    }

    @Test void aDatasetClipOfAnotherRateOrLengthIsNamedWithWhatWasExpected() throws Exception {
        Path bad = fakeDigits(dir.resolve("bad-digits"));
        Path clip = bad.resolve("clips/test/3_tone_3.wav");
        Wav.write(clip, new double[16000], 16000);            // 1 s, but at 16 kHz
        Result rate = run("--device", "cpu", "train-digit-classifier", "--data", bad.toString(), "--out", dir.resolve("x.safetensors").toString());
        assertNotEquals(0, rate.exitCode());
        assertTrue(rate.err().contains("3_tone_3.wav is sampled at 16000 Hz; expected 8000 Hz"), rate.err());
        Wav.write(clip, new double[4000], 8000);              // 0.5 s at 8 kHz
        Result length = run("--device", "cpu", "train-digit-classifier", "--data", bad.toString(), "--out", dir.resolve("x.safetensors").toString());
        assertTrue(length.err().contains("3_tone_3.wav holds 4000 samples (0.5 s); expected 8000 (1.0 s)"), length.err());
        assertFalse(Files.exists(dir.resolve("x.safetensors")));
    }
}
