package org.diffusion4j.experiments.cli;

import org.diffusion4j.diffusion.net.NoiseConditionalNetwork;
import org.diffusion4j.diffusion.sampler.SampleRequest;
import org.diffusion4j.diffusion.sampler.SampleResult;
import org.diffusion4j.experiments.config.ConfigException;
import org.diffusion4j.experiments.config.ConfigLoader;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.data.ToyDatasets;
import org.diffusion4j.experiments.generators.BaselineSetup;
import org.diffusion4j.experiments.generators.GeneratorStudy;
import org.diffusion4j.experiments.generators.LatentGenerator;
import org.diffusion4j.experiments.metrics.ModeCoverage;
import org.diffusion4j.experiments.metrics.SampleDistances;
import org.diffusion4j.experiments.run.RunFolder;
import org.diffusion4j.experiments.train.RunSampling;
import org.diffusion4j.experiments.train.RunSamplers;
import org.diffusion4j.experiments.train.Trainer;
import org.diffusion4j.experiments.train.TrainingSetup;
import org.diffusion4j.io.Checkpoint;
import org.diffusion4j.io.Safetensors;
import org.diffusion4j.nn.Module;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code d4j compare}: the 2-D part of the generator study (issue 18). Trains every model config on every dataset
 * for every seed on the CPU, with the same data, batch size and step count, into runs/compare/; draws samples from
 * each final checkpoint; scores them with the same code (mode metrics, sliced W1 to fresh data); writes a markdown
 * table, a JSON-lines file of every run and side-by-side scatter plots (docs/generators.md).
 */
@Command(name = "compare", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Trains diffusion, GAN and VAE configs on the 2-D mode-collapse benchmarks (8gaussians, 25gaussians) "
                + "over several seeds on the CPU and scores them with the same evaluation code: modes covered, fraction of "
                + "high-quality samples, KL of the mode histogram to uniform, sliced W1; writes table.md, runs.jsonl and "
                + "scatter-DATASET.png into --out."})
public final class CompareCommand implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(names = "--models", split = ",", paramLabel = "FILE", description = "model configs (default: the diffusion, "
            + "GAN and VAE configs of experiments/configs/*-25gaussians.yaml)")
    List<Path> models = new ArrayList<>(List.of(Path.of("experiments/configs/diffusion-25gaussians.yaml"),
            Path.of("experiments/configs/gan-25gaussians.yaml"), Path.of("experiments/configs/vae-25gaussians.yaml")));

    @Option(names = "--variant", paramLabel = "LABEL=FILE:KEY=VALUE", description = "an extra model: a config with one "
            + "override, e.g. gan-hinge=experiments/configs/gan-25gaussians.yaml:model.ganLoss=hinge (repeatable)")
    List<String> variants = new ArrayList<>();

    @Option(names = "--datasets", split = ",", defaultValue = "25gaussians,8gaussians", description = "default: ${DEFAULT-VALUE}")
    List<String> datasets;

    @Option(names = "--seeds", split = ",", defaultValue = "0,1,2,3,4", description = "default: ${DEFAULT-VALUE} (the issue's 5 seeds)")
    List<Long> seeds;

    @Option(names = "--steps", description = "training steps of every run (default: each config's own)")
    Integer steps;

    @Option(names = "--samples", defaultValue = "2500", description = "samples scored per run (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--min-count", defaultValue = "20", description = "high-quality samples a covered mode needs "
            + "(default: ${DEFAULT-VALUE}, 20 of 2500 is half a 25-grid mode's share)")
    int minCount;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "an override for every run (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", defaultValue = "runs/compare", description = "run folders and results (default: ${DEFAULT-VALUE})")
    Path out;

    @Override public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        Map<String, Model> all = new LinkedHashMap<>();
        for (Path p : models) all.put(label(p), new Model(p, List.of()));
        for (String v : variants) {
            int eq = v.indexOf('='), colon = v.indexOf(':', eq);
            if (eq < 1 || colon < 0) {
                err.println("d4j compare: --variant '" + v + "': expected LABEL=FILE:KEY=VALUE");
                return 2;
            }
            all.put(v.substring(0, eq), new Model(Path.of(v.substring(eq + 1, colon)), List.of(v.substring(colon + 1))));
        }
        Backend backend = Backends.cpu();
        GeneratorStudy study = new GeneratorStudy(minCount);
        for (String dataset : datasets) {
            ModeCoverage modes;
            try {
                modes = ModeCoverage.of(dataset);
            } catch (IllegalArgumentException e) {
                err.println("d4j compare: " + e.getMessage());
                return 2;
            }
            double[][] reference = ToyDatasets.sample(dataset, samples, 987_654_321L);
            for (Map.Entry<String, Model> m : all.entrySet()) {
                for (long seed : seeds) {
                    TrainConfig cfg;
                    try {
                        List<String> o = new ArrayList<>(overrides);
                        o.addAll(m.getValue().overrides());
                        o.addAll(List.of("data.dataset=" + dataset, "seed=" + seed, "device=cpu",
                                "name=" + m.getKey() + "-" + dataset + "-s" + seed));
                        if (steps != null) o.add("training.steps=" + steps);
                        cfg = ConfigLoader.load(m.getValue().config(), o);
                    } catch (ConfigException e) {
                        err.println("d4j compare: bad config " + m.getValue().config() + ": " + e.getMessage());
                        return 2;
                    }
                    GeneratorStudy.Row row = run(m.getKey(), cfg, backend, modes, reference, err);
                    study.add(row);
                    stdout.println(row.line());
                    stdout.flush();
                }
            }
        }
        try {
            study.write(out, datasets);
        } catch (java.io.IOException e) {
            err.println("d4j compare: cannot write results into " + out + ": " + e.getMessage());
            return 1;
        }
        stdout.println("results: " + out.resolve("table.md") + ", " + out.resolve("runs.jsonl"));
        return 0;
    }

    private record Model(Path config, List<String> overrides) { }

    private static String label(Path config) {
        String f = config.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
        return f.replaceFirst("-(25|8)gaussians$", "");
    }

    /** Trains one run, samples its final checkpoint and scores the samples. */
    private GeneratorStudy.Row run(String model, TrainConfig cfg, Backend backend, ModeCoverage modes, double[][] reference,
                                   PrintWriter err) {
        Trainer.Result result;
        double cpu0 = processCpuSeconds();
        try (RunFolder folder = RunFolder.prepareReplacing(out, cfg, err::println)) {
            result = TrainCommand.train(cfg, backend, folder, false, err);
        } catch (org.diffusion4j.experiments.train.DivergenceException e) {
            err.println("d4j compare: " + cfg.name() + " diverged: " + e.getMessage());
            return GeneratorStudy.Row.diverged(model, cfg, modes.centres().length);
        }
        double trainCpuSeconds = processCpuSeconds() - cpu0;
        TrainingSetup setup = new TrainingSetup(cfg, backend);
        try (Scope scope = Scope.open()) {
            long t0 = System.nanoTime();
            Drawn d = draw(cfg, setup, result.lastCheckpoint());
            double sampleSeconds = (System.nanoTime() - t0) / 1e9;
            double[][] rows = RunSampling.rows(d.samples());
            var score = modes.score(rows, minCount);
            double w1 = SampleDistances.slicedWasserstein(rows, reference, 64, 7);
            return new GeneratorStudy.Row(model, cfg.data().dataset(), cfg.seed(), result.steps(), result.trainedSeconds(),
                    trainCpuSeconds, d.nfe(), rows.length / sampleSeconds, score, w1, rows);
        }
    }

    /** CPU time of this JVM, all threads (the CPU backend's workers, GC and JIT included), in seconds. */
    private static double processCpuSeconds() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean hotspot) return hotspot.getProcessCpuTime() / 1e9;
        return Double.NaN;
    }

    private record Drawn(Tensor samples, long nfe) { }

    /** samples points from the checkpoint's sampling weights (EMA when it has them): one network call for a baseline. */
    private Drawn draw(TrainConfig cfg, TrainingSetup setup, Path checkpoint) {
        NoiseConditionalNetwork network = cfg.model().describesBaseline() ? new BaselineSetup(cfg, setup).network(new int[]{2})
                : setup.network(new int[]{2});
        load(network.module(), checkpoint, setup.backend());
        long seed = cfg.sampling().seed() + 1;   // not the training grid's latents
        if (network instanceof LatentGenerator g) return new Drawn(g.generate(samples, seed), 1);
        var sampler = RunSamplers.forRun(cfg, setup, cfg.sampling().sampler(), cfg.sampling().steps(), Map.of());
        Tensor z = Tensor.randn(setup.backend(), setup.dtype(), seed, 0, samples, 2);
        SampleResult r = sampler.sample(setup.objective().denoiser(network),
                new SampleRequest(setup.backend(), setup.dtype(), z.shape(), seed, z));
        return new Drawn(r.samples(), r.nfe());
    }

    private static void load(Module module, Path checkpoint, Backend backend) {
        var tensors = Safetensors.read(checkpoint, backend).tensors();
        var ema = Checkpoint.withPrefix(tensors, Checkpoint.EMA);
        module.loadStateDict(ema.isEmpty() ? Checkpoint.withPrefix(tensors, Checkpoint.MODEL) : ema);
        module.eval();
    }
}
