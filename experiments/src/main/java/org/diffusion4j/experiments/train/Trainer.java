package org.diffusion4j.experiments.train;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.diffusion.net.NoiseConditionalNetwork;
import org.diffusion4j.diffusion.objective.DenoisingObjective;
import org.diffusion4j.experiments.checkpoint.CheckpointStore;
import org.diffusion4j.experiments.config.ConfigLoader;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.run.MetricsLog;
import org.diffusion4j.experiments.run.RunFolder;
import org.diffusion4j.nn.Module;
import org.diffusion4j.nn.Parameter;
import org.diffusion4j.nn.RandomState;
import org.diffusion4j.optim.AdamW;
import org.diffusion4j.optim.Ema;
import org.diffusion4j.optim.GradClip;
import org.diffusion4j.optim.LearningRateSchedule;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The training loop: AdamW with linear warmup, global-norm clipping, an EMA of the weights, label dropout
 * for classifier-free guidance; metrics lines, checkpoints and sample grids on the config's schedule.
 *
 * <p>Reproducibility: everything random in step s (data, noise, noise levels, label dropout, dropout
 * masks) is drawn from Philox keys derived from (seed, s), and a checkpoint holds the parameters, the
 * optimiser's moments and step counter, the EMA and the step. So a run resumed from a checkpoint takes
 * exactly the steps the uninterrupted run takes, and on the CPU backend ends bitwise identical.
 *
 * <p>Memory: every step runs in a tensor {@link Scope} that frees all of the step's intermediates when it
 * closes. Parameters, optimiser moments and EMA averages are updated in place in storages that persist outside
 * the scopes (autograd's Variable.update and Scope.persist), so device memory stays flat however long the run.
 */
public final class Trainer {
    private final TrainConfig config;
    private final RunFolder folder;
    private final NoiseConditionalNetwork network;
    private final TrainingLoss objective;
    private final BatchSource data;
    private final SampleWriter samples;
    private final Progress progress;
    private long interruptAfter = Long.MAX_VALUE;
    private java.time.Duration wallClockBudget;

    public NoiseConditionalNetwork network() { return network; }

    /**
     * What a finished run reports.
     *
     * @param steps          the step the run ended at (config.training.steps, or fewer when the wall-clock budget
     *                       stopped it)
     * @param trainedSeconds wall-clock seconds of this invocation's loop (checkpoints and sample grids included)
     * @param stoppedByBudget true when the wall-clock budget, not the step count, ended the run
     */
    public record Result(long steps, double lastLoss, Path lastCheckpoint, long resumedFrom, double trainedSeconds,
                         boolean stoppedByBudget) {
        /** Optimiser steps per second of this invocation (0 when it took none). */
        public double stepsPerSecond() { return trainedSeconds > 0 ? (steps - resumedFrom) / trainedSeconds : 0; }
    }

    public Trainer(TrainConfig config, RunFolder folder, NoiseConditionalNetwork network, DenoisingObjective objective, BatchSource data,
                   SampleWriter samples, Progress progress) {
        this(config, folder, network, (TrainingLoss) objective::loss, data, samples, progress);
    }

    /** A trainer for any loss (the baselines of {@link org.diffusion4j.experiments.generators}). */
    public Trainer(TrainConfig config, RunFolder folder, NoiseConditionalNetwork network, TrainingLoss objective, BatchSource data,
                   SampleWriter samples, Progress progress) {
        this.config = config;
        this.folder = folder;
        this.network = network;
        this.objective = objective;
        this.data = data;
        this.samples = samples;
        this.progress = progress;
    }

    /**
     * Makes {@link #run} return right after the given step, writing nothing more (no final checkpoint, no
     * samples): what a kill at that point leaves behind. For tests of resumption.
     */
    Trainer interruptAfter(long step) {
        this.interruptAfter = step;
        return this;
    }

    /**
     * Ends the run after the first step that finishes once this much wall-clock time has passed since the loop
     * began, as if that step were the last one (final checkpoint, sample grid and metrics line). For runs
     * compared at equal training time; such a run is no longer a pure function of its config alone, so the
     * step it reached is in the result, the metrics and the final checkpoint's name. Null: no budget.
     */
    public Trainer stopAfter(java.time.Duration budget) {
        if (budget != null && (budget.isNegative() || budget.isZero()))
            throw new IllegalArgumentException("wall-clock budget must be positive, got " + budget);
        this.wallClockBudget = budget;
        return this;
    }

    /**
     * Trains to config.training.steps (or until the wall-clock budget of {@link #stopAfter} is spent). With resume, continues from the newest readable checkpoint (a fresh
     * start when there is none).
     *
     * @throws DivergenceException when a loss or gradient is not finite
     */
    public Result run(boolean resume) {
        Module module = network.module();
        RandomState randomState = new RandomState(config.seed());
        module.setRandomState(randomState);
        module.train();
        LinkedHashMap<String, Parameter> params = module.namedParameters();
        var o = config.optimizer();
        AdamW optimizer = new AdamW(params, o.lr(), o.beta1(), o.beta2(), o.eps(), o.weightDecay());
        Ema ema = config.training().emaDecay() > 0 ? new Ema(params, config.training().emaDecay(),
                config.training().emaWarmup()) : null;
        LearningRateSchedule schedule = LearningRateSchedule.warmupConstant(o.lr(), o.warmupSteps());
        CheckpointStore store = new CheckpointStore(folder.checkpoints(), config.checkpoint().keepLast());

        long start = 0;
        Path lastGood = null;
        if (resume) {
            Optional<CheckpointStore.Restored> restored = store.restoreNewest(module, optimizer, ema, progress::message);
            if (restored.isPresent()) {
                start = restored.get().step();
                lastGood = restored.get().file();
                progress.message("resumed from " + lastGood + " at step " + start);
                regenerateMissingGrid(start, module, ema);
            } else {
                progress.message("no checkpoint to resume from in " + store.dir() + "; starting at step 0");
            }
        }
        randomState.setStep(start);
        progress.startAt(start);
        long total = config.training().steps();
        double loss = Double.NaN;
        long t0 = System.nanoTime();
        try (MetricsLog metrics = new MetricsLog(folder.metrics())) {
            metrics.truncateAfter(start);
            for (long step = start; step < total; step++) {
                double gradNorm;
                try (Scope scope = Scope.open()) {
                    StepRandom random = new StepRandom(config.seed(), step);
                    schedule.apply(optimizer, step);
                    Batch batch = data.batch(step, config.training().batchSize());
                    Conditioning condition = dropCondition(batch.condition(), random);
                    Variable lossVar = objective.loss(network, batch.x0(), condition, random.key("objective"));
                    loss = lossVar.value().item();
                    if (!Double.isFinite(loss)) throw new DivergenceException(step + 1, "loss", loss, lastGood);
                    lossVar.backward();
                    gradNorm = clipOrMeasure(params.values());
                    if (!Double.isFinite(gradNorm)) throw divergedGradient(step + 1, params, gradNorm, lastGood);
                    optimizer.step();
                    if (ema != null) ema.update();
                    optimizer.zeroGrad();
                }
                randomState.advance();
                long done = step + 1;
                boolean outOfTime = wallClockBudget != null && System.nanoTime() - t0 >= wallClockBudget.toNanos();
                boolean last = done == total || outOfTime;
                if (done % config.training().logEvery() == 0 || last) {
                    metrics.append(new MetricsLog.Entry(done, loss, optimizer.learningRate(), gradNorm, (System.nanoTime() - t0) / 1e9));
                }
                progress.update(done, loss);
                if (done == interruptAfter) return new Result(done, loss, lastGood, start, seconds(t0), false);
                // The grid first, then the checkpoint that claims it: a kill between the two resumes from the previous
                // checkpoint, which takes this step again and rewrites the same grid.
                if (isSamplingStep(done, last)) writeSamples(done, module, ema);
                if (done % config.checkpoint().every() == 0 || last) {
                    lastGood = store.save(done, module, optimizer, ema, checkpointMetadata(done));
                    progress.message("checkpoint " + lastGood);
                }
                if (outOfTime) {
                    progress.message("wall-clock budget of " + wallClockBudget + " spent: stopped after step " + done);
                    return new Result(done, loss, lastGood, start, seconds(t0), true);
                }
            }
        }
        return new Result(total, loss, lastGood, start, seconds(t0), false);
    }

    /** Whether step done writes a sample grid (every sampling.every steps, and the last step). */
    private boolean isSamplingStep(long done, boolean last) {
        int every = config.sampling().every();
        return samples != null && every > 0 && (done % every == 0 || last);
    }

    /**
     * A run folder written before grids came ahead of checkpoints can hold the checkpoint of a sampling step without
     * its grid (a kill between the two): the restored state is exactly that step's, so the grid is drawn again.
     */
    private void regenerateMissingGrid(long step, Module module, Ema ema) {
        if (step == 0 || !isSamplingStep(step, step == config.training().steps())) return;
        if (java.nio.file.Files.exists(folder.sampleGrid(step))) return;
        progress.message("the grid of step " + step + " is missing; drawing it again from the restored checkpoint");
        writeSamples(step, module, ema);
    }

    private static double seconds(long t0) { return (System.nanoTime() - t0) / 1e9; }

    /**
     * Replaces a sample's condition by its unconditional form (the "no class" label, a zero image) with probability
     * training.labelDropout (Ho and Salimans 2022), from the step's "label-dropout" uniforms.
     */
    private Conditioning dropCondition(Conditioning condition, StepRandom random) {
        double p = config.training().labelDropout();
        if (p == 0 || condition.isNone()) return condition;
        return condition.dropout(p, random.hostUniforms("label-dropout", condition.batchSize()));
    }

    /** The global gradient norm, clipping to gradClip when it is > 0. */
    private double clipOrMeasure(java.util.Collection<Parameter> params) {
        double clip = config.training().gradClip();
        if (clip > 0) return GradClip.clipGlobalNorm(params, clip);
        Tensor sum = null;
        for (Parameter p : params) {
            if (p.grad() == null) continue;
            Tensor sq = p.grad().square().sum();
            sum = sum == null ? sq : sum.add(sq);
        }
        return sum == null ? 0 : Math.sqrt(sum.item());
    }

    /** Finds the first parameter whose gradient holds a non-finite value, for the message. */
    private static DivergenceException divergedGradient(long step, Map<String, Parameter> params, double norm, Path lastGood) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Tensor g = e.getValue().grad();
            if (g == null) continue;
            double s = g.abs().sum().item();
            if (!Double.isFinite(s)) return new DivergenceException(step, "gradient of " + e.getKey(), s, lastGood);
        }
        return new DivergenceException(step, "global gradient norm", norm, lastGood);
    }

    private Map<String, String> checkpointMetadata(long step) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("step", Long.toString(step));
        meta.put("seed", Long.toString(config.seed()));
        meta.put("rng", "philox key(seed, step); next step " + step);
        meta.put("config", ConfigLoader.toJson(config));
        return meta;
    }

    /**
     * Samples with the EMA weights in evaluation mode, then puts the training weights back (stateDict returns
     * copies, loadStateDict copies into the parameters' own storages; the copies die with the scope).
     */
    private void writeSamples(long step, Module module, Ema ema) {
        module.eval();
        try (Scope scope = Scope.open()) {
            LinkedHashMap<String, Tensor> trainingWeights = module.stateDict();
            try {
                if (ema != null) module.loadStateDict(ema.averages());
                samples.write(step, network);
            } finally {
                module.loadStateDict(trainingWeights);
            }
        } finally {
            module.train();
        }
        progress.message("samples " + folder.sampleGrid(step));
    }
}
