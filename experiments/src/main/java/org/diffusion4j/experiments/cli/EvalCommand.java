package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.data.FashionMnist;
import org.diffusion4j.experiments.data.ImageDataset;
import org.diffusion4j.experiments.eval.ClassifierFeatures;
import org.diffusion4j.experiments.eval.ClassifierWeights;
import org.diffusion4j.experiments.eval.EvalReport;
import org.diffusion4j.experiments.eval.Metrics;
import org.diffusion4j.experiments.eval.SampleImages;
import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.diffusion.sampler.SampleRequest;
import org.diffusion4j.diffusion.sampler.SampleResult;
import org.diffusion4j.diffusion.sampler.Sampler;
import org.diffusion4j.experiments.run.RunFolder;
import org.diffusion4j.experiments.train.RunSamplers;
import org.diffusion4j.experiments.train.RunSampling;
import org.diffusion4j.tensor.Backend;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code d4j eval}: scores generated Fashion-MNIST samples against the test split. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Scores generated Fashion-MNIST samples (or, with --run of a spoken-digits run, generated 1-s clips: "
                + "digit recognition rate, classifier score and FD on the digit classifier; docs/audio.md) against the 10,000 test images on the features of the "
                + "committed feature network: FD-FMNIST, KID-FMNIST (with its standard error), precision and recall "
                + "(k=3) and the classifier score. Samples come from a .npy file of shape (N,1,28,28) or (N,784), "
                + "float32 or float64, with values in [-1, 1] (pixels scaled as x / 127.5 - 1). "
                + "See docs/evaluation.md for the definitions and the reference floors."})
public final class EvalCommand implements Callable<Integer> {

    @ParentCommand private Main d4j;
    @Spec private CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--npy", paramLabel = "SAMPLES.npy",
                description = "Samples to score: shape (N,1,28,28) or (N,784), values in [-1, 1].")
        Path npy;

        @Option(names = "--run", paramLabel = "DIR",
                description = "A run folder (runs/NAME) of a Fashion-MNIST model: draws --n samples with --sampler and "
                        + "--steps (a GAN or VAE run: in one network call, without them) from its newest (or --checkpoint) "
                        + "weights, scores them, and appends the scores, NFE and sampler settings to the run's metrics.jsonl.")
        Path run;
    }

    @Option(names = "--dataset", defaultValue = "fashion-mnist", description = "Reference dataset; only fashion-mnist (default).")
    String dataset;

    @Option(names = "--n", description = "With --npy: score only the first N samples (default: all). With --run: the number "
            + "of samples to draw (required).")
    Integer n;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the KID and precision/recall subsets (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", paramLabel = "OUT", description = "Also write the metrics as JSON to OUT.")
    Path json;

    @Mixin ScoringOptions scoring;

    @Option(names = "--checkpoint", description = "With --run: this checkpoint instead of the newest.") Path checkpoint;
    @Option(names = "--sampler", description = "With --run: the sampler (as in 'd4j sample --help').") String sampler;
    @Option(names = "--steps", description = "With --run: the sampler's steps.") Integer steps;
    @Option(names = "--guidance", defaultValue = "1", description = "With --run of a class-conditional spoken-digits run: the "
            + "classifier-free guidance weight (default ${DEFAULT-VALUE}: plain conditional).") double guidance;
    @Option(names = "--digit-classifier", paramLabel = "FILE", description = "With --run of a spoken-digits run: the digit "
            + "classifier's weights (default: the committed digit-classifier.safetensors).") Path digitClassifier;

    @Override
    public Integer call() throws Exception {
        if (!"fashion-mnist".equals(dataset)) throw new IllegalArgumentException("--dataset " + dataset
                + " is not supported; the only reference dataset is fashion-mnist");
        if (source.run != null) return evaluateRun();
        if (checkpoint != null || sampler != null || steps != null) throw new IllegalArgumentException(
                "--checkpoint, --sampler and --steps go with --run, not with --npy");
        double[][] samples = SampleImages.read(source.npy);
        if (n != null) {
            if (n < 2 || n > samples.length) throw new IllegalArgumentException("--n must be in [2, " + samples.length
                    + "] (the samples in " + source.npy + "), got " + n);
            samples = Arrays.copyOf(samples, n);
        }
        Backend backend = d4j.backend();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("samples", source.npy.toString());
        score(samples, backend, source.npy + ": " + samples.length + " samples", doc);
        return 0;
    }

    /** Scores samples against the test split, prints the scores, writes --json; returns the scores. */
    private Metrics score(double[][] samples, Backend backend, String what, Map<String, Object> doc) throws Exception {
        ClassifierWeights.Loaded net = scoring.featureNetwork(backend);
        ImageDataset test = FashionMnist.load(scoring.dataFolder(), FashionMnist.Split.TEST, scoring.anySize);
        ClassifierFeatures.Output reference = ClassifierFeatures.of(net.model(), test, backend);
        ClassifierFeatures.Output generated = ClassifierFeatures.of(net.model(), samples, backend);
        Metrics m = Metrics.compute(generated, reference, seed, scoring.prRows, scoring.kidSubsets);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s against the Fashion-MNIST test split (%d images)%n", what, test.size());
        out.print(m.render());
        if (json != null) {
            doc.put("reference", "fashion-mnist test split");
            doc.put("seed", seed);
            doc.put("metrics", m.asMap());
            doc.put("feature_network", EvalReport.featureNetwork(net.metadata()));
            EvalReport.writeJson(json, doc);
            out.printf("wrote %s%n", json);
        }
        return m;
    }

    /**
     * --run: samples from a trained Fashion-MNIST run (class-conditional runs cycle through the classes,
     * guidance 1), clips the samples to [-1, 1] (the range the data was scaled to; the count clipped is
     * reported), scores them and appends one line to the run's metrics.jsonl.
     */
    private Integer evaluateRun() throws Exception {
        boolean baseline = TrainedRun.isBaseline(source.run);
        if (baseline && (sampler != null || steps != null)) throw new IllegalArgumentException("run " + source.run
                + " is a GAN or VAE: it samples in one network call, so --sampler and --steps do not apply; give --n COUNT");
        if (n == null || (!baseline && (sampler == null || steps == null))) throw new IllegalArgumentException(
                baseline ? "eval --run of a GAN or VAE run needs --n COUNT" : "eval --run needs --sampler NAME, --steps N and --n COUNT");
        if (n < 2) throw new IllegalArgumentException("--n must be at least 2, got " + n);
        if (!baseline && steps < 1) throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
        Backend backend = d4j.backend();
        TrainedRun run = TrainedRun.open(source.run, checkpoint, backend, spec.commandLine().getErr()::println);
        if (run.config().data().holdsAudio()) {      // spoken digits: the digit classifier's scores (docs/audio.md)
            AudioRunEvaluation.run(run, source.run, backend, sampler, steps, n, seed, guidance, digitClassifier, json,
                    spec.commandLine().getOut());
            return 0;
        }
        if (guidance != 1.0 || digitClassifier != null) throw new IllegalArgumentException(
                "--guidance and --digit-classifier go with spoken-digits runs");
        MemoryBudget.ofThisJvm().checkSampling("--n " + n, n, 28 * 28, 8);  // the samples, then their features in doubles
        if (!run.config().data().holdsImages()) throw new IllegalArgumentException("run " + source.run + " was trained on '"
                + run.config().data().dataset() + "'; FD-FMNIST scores Fashion-MNIST image runs only");
        long start = System.nanoTime();
        Drawn drawn = baseline ? new Drawn(run.generator().generate(n, seed), 1, run.config().model().type(), 1)
                : diffusionSamples(run, backend);
        backend.synchronize();
        double seconds = (System.nanoTime() - start) / 1e9;
        double[][] rows = RunSampling.rows(drawn.samples());
        int clipped = 0;
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                if (Double.isNaN(row[j])) throw new IllegalStateException("sample contains NaN: the sampler diverged");
                if (Math.abs(row[j]) > 1) { row[j] = Math.max(-1, Math.min(1, row[j])); clipped++; }
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("sampler", drawn.sampler());
        settings.put("steps", drawn.steps());
        settings.put("nfe", drawn.nfe());
        settings.put("n", n);
        settings.put("seed", seed);
        settings.put("checkpoint", run.checkpoint().toString());
        settings.put("checkpoint_step", run.step());
        settings.put("ema", run.ema());
        settings.put("clipped_values", clipped);
        settings.put("sampling_seconds", Math.round(seconds * 1000) / 1000.0);
        Map<String, Object> doc = new LinkedHashMap<>(settings);
        Metrics m = score(rows, backend, "run " + source.run + ", step " + run.step() + ", " + drawn.sampler()
                + " " + drawn.steps() + " steps (NFE " + drawn.nfe() + "), " + n + " samples", doc);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", run.step());
        line.put("kind", "eval");
        line.putAll(settings);
        line.putAll(m.asMap());
        RunFolder folder = RunFolder.open(source.run);
        EvalReport.appendJsonLine(folder.metrics(), line);
        Path report = org.diffusion4j.experiments.report.RunReport.write(folder, "d4j run " + run.config().name(), java.util.List.of());
        spec.commandLine().getOut().printf("NFE %d, %d values clipped to [-1, 1]; appended to %s; report %s%n", drawn.nfe(), clipped,
                folder.metrics(), report);
        return 0;
    }

    /** Samples of a run, the network evaluations they took, the sampler's name (the model type for a GAN or VAE), steps. */
    private record Drawn(org.diffusion4j.tensor.Tensor samples, long nfe, String sampler, int steps) { }

    /** A diffusion run's samples with --sampler over --steps (class-conditional runs cycle through the classes). */
    private Drawn diffusionSamples(TrainedRun run, Backend backend) {
        Sampler s = RunSamplers.forRun(run.config(), run.setup(), sampler, steps, Map.of());
        Conditioning condition = Conditioning.NONE;
        int classes = run.config().model().classes();
        if (run.config().model().classConditional()) {
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) labels[i] = i % classes;
            condition = Conditioning.labels(labels, classes);
        }
        Denoiser denoiser = run.objective().denoiser(run.network()).withCondition(condition);
        SampleResult r = s.sample(denoiser, SampleRequest.of(backend, run.setup().dtype(), seed, n, run.sampleShape()));
        return new Drawn(r.samples(), r.nfe(), org.diffusion4j.diffusion.sampler.Samplers.cliName(s.name()), steps);
    }
}
