package org.diffusion4j.experiments.cli;

import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.diffusion.sampler.SampleRequest;
import org.diffusion4j.diffusion.sampler.SampleResult;
import org.diffusion4j.diffusion.sampler.Sampler;
import org.diffusion4j.diffusion.sampler.Samplers;
import org.diffusion4j.experiments.audio.AudioDataset;
import org.diffusion4j.experiments.audio.AudioPictures;
import org.diffusion4j.experiments.audio.DigitClassifierWeights;
import org.diffusion4j.experiments.audio.DigitFeatures;
import org.diffusion4j.experiments.audio.DigitFloors;
import org.diffusion4j.experiments.audio.DigitScores;
import org.diffusion4j.experiments.audio.SpokenDigits;
import org.diffusion4j.experiments.eval.ClassifierFeatures;
import org.diffusion4j.experiments.eval.EvalReport;
import org.diffusion4j.experiments.io.ImageGrid;
import org.diffusion4j.experiments.run.RunFolder;
import org.diffusion4j.experiments.train.RunSamplers;
import org.diffusion4j.experiments.train.RunSampling;
import org.diffusion4j.tensor.Backend;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code d4j eval --run} on a spoken-digits run: draws n clips (digits 0, 1, 2, ... in turn when the run is
 * class-conditional), scores them with the digit classifier against the run's test voices ({@link DigitScores}), adds
 * the floors ({@link DigitFloors}), appends one "eval" line to metrics.jsonl, writes the first clips as WAV files and
 * their spectrograms to samples/eval-step-N/, and rewrites report.html.
 */
final class AudioRunEvaluation {
    /** Clips of an evaluation kept as WAV files. */
    static final int KEPT_CLIPS = 20;

    private AudioRunEvaluation() {}

    static void run(TrainedRun run, Path runDir, Backend backend, String samplerName, int steps, int n, long seed, double guidance,
                    Path classifierFile, Path json, PrintWriter out) throws IOException {
        MemoryBudget.ofThisJvm().checkSampling("--n " + n, n, SpokenDigits.CLIP_SAMPLES, 8);
        int[] shape = run.sampleShape();
        if (shape[shape.length - 1] != SpokenDigits.CLIP_SAMPLES) throw new IllegalArgumentException("run " + runDir
                + " makes clips of " + shape[shape.length - 1] + " samples; the digit classifier reads " + SpokenDigits.CLIP_SAMPLES);
        DigitClassifierWeights.Loaded classifier = classifierFile == null ? DigitClassifierWeights.committed(backend)
                : DigitClassifierWeights.read(classifierFile, backend);
        Path data = run.config().data().folder().isEmpty() ? SpokenDigits.defaultFolder(0) : Path.of(run.config().data().folder());
        AudioDataset test = AudioDataset.load(data, "test");

        Sampler sampler = RunSamplers.forRun(run.config(), run.setup(), samplerName, steps, Map.of());
        boolean conditional = run.config().model().classConditional();
        int[] asked = conditional ? DigitFloors.askedDigits(n) : null;
        if (!conditional && guidance != 1.0) throw new IllegalArgumentException("--guidance needs a class-conditional run; "
                + runDir + " is unconditional");
        var unconditional = run.objective().denoiser(run.network());
        Denoiser denoiser = conditional ? unconditional.withGuidance(Conditioning.labels(asked, run.config().model().classes()), guidance)
                : unconditional;
        long start = System.nanoTime();
        SampleResult drawn = sampler.sample(denoiser, SampleRequest.of(backend, run.setup().dtype(), seed, n, shape));
        backend.synchronize();
        double seconds = (System.nanoTime() - start) / 1e9;
        double[][] clips = RunSampling.rows(drawn.samples());
        int clipped = 0;
        for (double[] c : clips) {
            for (int j = 0; j < c.length; j++) {
                if (Double.isNaN(c[j])) throw new IllegalStateException("a sample contains NaN: the sampler diverged");
                if (Math.abs(c[j]) > 1) { c[j] = Math.max(-1, Math.min(1, c[j])); clipped++; }
            }
        }

        ClassifierFeatures.Output generated = DigitFeatures.of(classifier.model(), clips, backend);
        ClassifierFeatures.Output reference = DigitFeatures.of(classifier.model(), DigitFeatures.clips(test), backend);
        DigitScores scores = DigitScores.compute(generated, asked, reference);
        int[] testDigits = new int[test.size()];
        for (int i = 0; i < testDigits.length; i++) testDigits[i] = test.label(i);
        DigitFloors floors = DigitFloors.compute(reference, testDigits,
                DigitFeatures.of(classifier.model(), DigitFloors.noiseClips(n, seed + 1), backend), seed);

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("sampler", Samplers.cliName(sampler.name()));
        settings.put("steps", steps);
        settings.put("nfe", drawn.nfe());
        settings.put("n", n);
        settings.put("seed", seed);
        settings.put("guidance", guidance);
        settings.put("checkpoint", run.checkpoint().toString());
        settings.put("checkpoint_step", run.step());
        settings.put("ema", run.ema());
        settings.put("clipped_values", clipped);
        settings.put("sampling_seconds", Math.round(seconds * 1000) / 1000.0);
        settings.put("clips_per_second", Math.round(n / seconds * 1000) / 1000.0);
        out.printf("run %s, step %d, %s %d steps (NFE %d), %d clips in %.2f s, against %d test-voice clips of %s%n", runDir, run.step(),
                Samplers.cliName(sampler.name()), steps, drawn.nfe(), n, seconds, test.size(), data);
        out.print(scores.render());
        out.print(floors.render());
        out.printf("classifier: accuracy %s on the test voices when it was trained%n", classifier.metadata().getOrDefault("test_accuracy", "?"));

        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", run.step());
        line.put("kind", "eval");
        line.putAll(settings);
        line.putAll(scores.asMap());
        for (var e : floors.asMap().entrySet()) line.put("floor_" + e.getKey(), e.getValue());
        RunFolder folder = RunFolder.open(runDir);
        EvalReport.appendJsonLine(folder.metrics(), line);
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>(settings);
            doc.put("reference", "spoken-digits test voices of " + data.toAbsolutePath());
            doc.put("metrics", scores.asMap());
            doc.put("floors", floors.asMap());
            Map<String, Object> net = new LinkedHashMap<>();
            net.put("name", "DigitClassifier penultimate layer (64 features)");
            net.putAll(classifier.metadata());
            doc.put("classifier", net);
            EvalReport.writeJson(json, doc);
            out.printf("wrote %s%n", json);
        }
        Path kept = folder.samples().resolve("eval-step-" + run.step());
        Files.createDirectories(kept);
        double[][] first = Arrays.copyOf(clips, Math.min(KEPT_CLIPS, n));
        writeClips(first, asked, kept);
        ImageGrid.writePng(AudioPictures.spectrogramGrid(first, 5), kept.resolve("spectrograms.png"));
        Path report = org.diffusion4j.experiments.report.RunReport.write(folder, "d4j run " + run.config().name(), List.of());
        out.printf("NFE %d, %d values clipped to [-1, 1]; appended to %s; clips in %s; report %s%n", drawn.nfe(), clipped,
                folder.metrics(), kept, report);
    }

    /** sample-i-digit-d.wav (conditional) or sample-i.wav (unconditional) for each clip. */
    static List<Path> writeClips(double[][] clips, int[] digits, Path dir) throws IOException {
        List<Path> files = new java.util.ArrayList<>();
        for (int i = 0; i < clips.length; i++) {
            Path f = dir.resolve(digits == null ? "sample-" + i + ".wav" : "sample-" + i + "-digit-" + digits[i] + ".wav");
            org.diffusion4j.experiments.audio.Wav.write(f, clips[i], SpokenDigits.SAMPLE_RATE);
            files.add(f);
        }
        return files;
    }
}
