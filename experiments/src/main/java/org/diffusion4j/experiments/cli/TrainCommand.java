package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.config.ConfigException;
import org.diffusion4j.experiments.config.ConfigLoader;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.report.RunReport;
import org.diffusion4j.experiments.run.Environment;
import org.diffusion4j.experiments.run.RunFolder;
import org.diffusion4j.experiments.train.DivergenceException;
import org.diffusion4j.experiments.train.Progress;
import org.diffusion4j.experiments.train.RunSampling;
import org.diffusion4j.experiments.train.Trainer;
import org.diffusion4j.experiments.train.TrainingSetup;
import org.diffusion4j.experiments.train.BatchSource;
import org.diffusion4j.diffusion.net.NoiseConditionalNetwork;
import org.diffusion4j.diffusion.objective.DenoisingObjective;
import org.diffusion4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code d4j train}: one training run into runs/NAME/. */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Trains a model as a config (YAML or JSON) describes, into runs/NAME/: config.json, env.json, "
                + "metrics.jsonl, checkpoints/, samples/ and report.html.",
                "A bad config (unknown key, wrong type, value out of range) is reported and no run starts."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the run finished", "1:the run failed (it diverged, a file could not be written, ...)",
                "2:bad usage or a bad config"})
public final class TrainCommand implements Callable<Integer> {
    @ParentCommand private Main d4j;
    @Spec private CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the config file (YAML or JSON)")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one config value, e.g. --set optimizer.lr=1e-3 "
            + "(dotted keys; repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--resume", description = "continue the run from its newest complete checkpoint")
    boolean resume;

    @Option(names = "--minutes", paramLabel = "M", description = "wall-clock budget: stop after the first step that ends "
            + "M minutes after the loop began, writing the final checkpoint and samples as at the last step (for runs "
            + "compared at equal training time; set training.steps high). Default: no budget.")
    Double minutes;

    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs", description = "the folder that holds run folders (default: ${DEFAULT-VALUE})")
    Path runs;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        TrainConfig cfg;
        try {
            List<String> all = new ArrayList<>(overrides);
            String device = RunDevice.override(d4j);
            if (device != null) all.add("device=" + device);
            String precision = RunDevice.precisionOverride(d4j);
            if (precision != null) all.add("precision=" + precision);
            cfg = ConfigLoader.load(config, all);
        } catch (ConfigException e) {
            err.println("d4j train: bad config " + config + ": " + e.getMessage());
            return 2;
        }
        if (minutes != null && !(minutes > 0 && minutes < 1e6)) {
            err.println("d4j train: --minutes must be a positive number of minutes, got " + minutes);
            return 2;
        }
        MemoryBudget.ofThisJvm().checkTraining(cfg, sampleElements(cfg));
        Backend backend = RunDevice.open(d4j, cfg);
        try (RunFolder folder = RunFolder.prepare(runs, cfg, resume, err::println)) {
            return train(cfg, backend, folder, out, err);
        }
    }

    /** Trains into a prepared (locked) run folder and reports. */
    private int train(TrainConfig cfg, Backend backend, RunFolder folder, PrintWriter out, PrintWriter err) {
        folder.writeEnvironment(Environment.current(backend.device() + " (" + backend.getClass().getSimpleName() + ")",
                backend.precision().label(), cfg.seed(), VersionProvider.projectVersion()));
        out.println("run folder: " + folder.root());
        out.flush();
        Trainer.Result result;
        try {
            result = train(cfg, backend, folder, resume, budget(), err);
        } catch (DivergenceException e) {
            err.println("d4j train: " + e.getMessage());
            RunReport.write(folder, "d4j run " + cfg.name() + " (diverged)", List.of());
            return 1;
        }
        Path report = RunReport.write(folder, "d4j run " + cfg.name(), List.of());
        out.printf("trained %d steps (resumed from step %d), last loss %.5g%ncheckpoint: %s%nreport: %s%n", result.steps(),
                result.resumedFrom(), result.lastLoss(), result.lastCheckpoint(), report);
        out.printf(java.util.Locale.ROOT, "wall clock: %.1f s for %d steps, %.3f steps/s%s%n", result.trainedSeconds(),
                result.steps() - result.resumedFrom(), result.stepsPerSecond(),
                result.stoppedByBudget() ? " (stopped by the --minutes budget)" : "");
        KernelReport.printLaunchesIfProfiling(backend, 0, result.steps() - result.resumedFrom(),
                "training step (everything the command launched, evaluation included)", out);
        KernelReport.printIfProfiling(backend, result.steps() - result.resumedFrom(), "step", 20, out);
        return 0;
    }

    /** Values per training example: a 28x28 grey image, a 1-s clip at 8 kHz or a 2-D point. */
    static int sampleElements(TrainConfig cfg) {
        if (cfg.data().holdsScenes()) return 32 * 32;
        return cfg.data().holdsImages() ? 28 * 28 : cfg.data().holdsAudio() ? org.diffusion4j.experiments.audio.SpokenDigits.CLIP_SAMPLES : 2;
    }

    private java.time.Duration budget() {
        return minutes == null ? null : java.time.Duration.ofNanos(Math.round(minutes * 60e9));
    }

    /** Builds the parts a config names and trains them (shared with the demo). */
    static Trainer.Result train(TrainConfig cfg, Backend backend, RunFolder folder, boolean resume, PrintWriter err) {
        return train(cfg, backend, folder, resume, null, err);
    }

    /** As {@link #train(TrainConfig, Backend, RunFolder, boolean, PrintWriter)}, stopping when budget (may be null) is spent. */
    static Trainer.Result train(TrainConfig cfg, Backend backend, RunFolder folder, boolean resume,
                                java.time.Duration budget, PrintWriter err) {
        TrainingSetup setup = new TrainingSetup(cfg, backend);
        if (cfg.model().textConditional()) return trainTextToImage(cfg, setup, folder, resume, budget, err);
        BatchSource data = setup.data();
        if (cfg.model().describesBaseline()) return trainBaseline(cfg, setup, data, folder, resume, budget, err);
        NoiseConditionalNetwork network = setup.network(data.sampleShape());
        DenoisingObjective objective = setup.objective();
        RunSampling sampling = new RunSampling(cfg, setup, folder, data.sampleShape(), objective);
        try (Progress progress = System.console() != null
                ? Progress.forStderr(cfg.name(), 0, cfg.training().steps(), cfg.training().logEvery())
                : Progress.lines(cfg.name(), 0, cfg.training().steps(), cfg.training().logEvery(), err)) {
            return new Trainer(cfg, folder, network, objective, data, sampling, progress).stopAfter(budget).run(resume);
        }
    }

    /**
     * A text-to-image run (model.type text-unet): the tokenizer built from the training captions (or read back on
     * resume), caption batches, the encoder + cross-attention UNet, and sample grids for test-split prompts.
     */
    private static Trainer.Result trainTextToImage(TrainConfig cfg, TrainingSetup setup, RunFolder folder, boolean resume,
                                                   java.time.Duration budget, PrintWriter err) {
        var scenes = new org.diffusion4j.experiments.texttoimage.SceneCaptions(
                org.diffusion4j.experiments.texttoimage.TextToImageRun.trainingScenes(cfg), null);
        var tokenizer = org.diffusion4j.experiments.texttoimage.TextToImageRun.tokenizer(folder.root(), scenes);
        int length = cfg.model().captionLength();
        BatchSource data = new org.diffusion4j.experiments.train.CaptionBatchSource(
                scenes, tokenizer, length, cfg.seed(), setup.backend(), setup.dtype());
        NoiseConditionalNetwork network = setup.textNetwork(data.sampleShape(), tokenizer.vocabulary());
        DenoisingObjective objective = setup.objective();
        var prompts = org.diffusion4j.experiments.texttoimage.TextToImageRun.samplingPrompts(scenes, cfg.sampling().count());
        RunSampling sampling = new RunSampling(cfg, setup, folder, data.sampleShape(), objective).withPrompts(prompts,
                org.diffusion4j.experiments.texttoimage.TextToImageRun.condition(prompts, 1, tokenizer, length));
        try (Progress progress = System.console() != null
                ? Progress.forStderr(cfg.name(), 0, cfg.training().steps(), cfg.training().logEvery())
                : Progress.lines(cfg.name(), 0, cfg.training().steps(), cfg.training().logEvery(), err)) {
            return new Trainer(cfg, folder, network, objective, data, sampling, progress).stopAfter(budget).run(resume);
        }
    }

    /** A GAN or VAE (model.type gan, vae): the same trainer, run folder and checkpoints, its own loss and samples. */
    private static Trainer.Result trainBaseline(TrainConfig cfg, TrainingSetup setup, BatchSource data, RunFolder folder,
                                                boolean resume, java.time.Duration budget, PrintWriter err) {
        var baseline = new org.diffusion4j.experiments.generators.BaselineSetup(cfg, setup);
        var samples = new org.diffusion4j.experiments.generators.GeneratorSamples(cfg, folder, data.sampleShape());
        try (Progress progress = System.console() != null
                ? Progress.forStderr(cfg.name(), 0, cfg.training().steps(), cfg.training().logEvery())
                : Progress.lines(cfg.name(), 0, cfg.training().steps(), cfg.training().logEvery(), err)) {
            return new Trainer(cfg, folder, baseline.network(data.sampleShape()), baseline.loss(), data, samples, progress)
                    .stopAfter(budget).run(resume);
        }
    }
}
