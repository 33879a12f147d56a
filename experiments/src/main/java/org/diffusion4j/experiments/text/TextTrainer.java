package org.diffusion4j.experiments.text;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.text.AutoregressiveObjective;
import org.diffusion4j.diffusion.text.MaskedDiffusionObjective;
import org.diffusion4j.diffusion.text.MaskingSchedule;
import org.diffusion4j.diffusion.text.TokenDenoiser;
import org.diffusion4j.nn.Init;
import org.diffusion4j.nn.TokenTransformer;
import org.diffusion4j.optim.Adam;
import org.diffusion4j.optim.GradClip;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;

import java.util.function.Consumer;

/**
 * Trains a {@link TextModelSpec} on random windows of a text for a wall-clock budget or a step count, whichever
 * ends first: Adam at the spec's learning rate with a linear warm-up over the first 100 steps, gradients clipped to
 * global norm 1. The diffusion model minimises the MDLM bound, the baseline its negative log-likelihood, both in
 * bits per character. Deterministic for a seed except for where the time budget stops it.
 */
public final class TextTrainer {
    private final TextModelSpec spec;
    private final TokenTransformer network;
    private final Backend backend;

    public TextTrainer(TextModelSpec spec, Backend backend) {
        this.spec = spec;
        this.backend = backend;
        try (Init init = Init.seeded(spec.seed(), backend, DType.F32)) { this.network = new TokenTransformer(spec.network()); }
    }

    public TokenTransformer network() { return network; }

    public TextModelSpec spec() { return spec; }

    public TokenDenoiser denoiser() { return network::forward; }

    /** The training loss of one batch x [batch, length] at a step, in bits per character. */
    Variable loss(int[] x, long step) {
        return switch (spec.kind()) {
            case DIFFUSION -> new MaskedDiffusionObjective(MaskingSchedule.named(spec.schedule()), CharVocabulary.SIZE)
                    .loss(denoiser(), x, spec.batch(), spec.length(), spec.seed(), step);
            case AUTOREGRESSIVE -> new AutoregressiveObjective(CharVocabulary.SIZE).loss(denoiser(), x, spec.batch(), spec.length());
        };
    }

    /** One training step's record. */
    public record Step(long step, double loss, double seconds) { }

    /** Trains until maxSteps or maxSeconds; reports every {@code every} steps; returns the steps taken. */
    public long train(TextWindows train, long maxSteps, double maxSeconds, int every, Consumer<Step> report) {
        Adam adam = new Adam(network.namedParameters(), spec.learningRate());
        long start = System.nanoTime(), step = 0;
        double running = Double.NaN;
        while (step < maxSteps && (System.nanoTime() - start) / 1e9 < maxSeconds) {
            adam.setLearningRate(spec.learningRate() * Math.min(1.0, (step + 1) / 100.0));
            int[] x = train.random(spec.batch(), spec.seed(), 1_000_000L + step);
            network.zeroGrad();
            Variable l = loss(x, step);
            l.backward();
            GradClip.clipGlobalNorm(network.parameters(), 1.0);
            adam.step();
            double v = l.value().item();
            running = Double.isNaN(running) ? v : 0.95 * running + 0.05 * v;
            step++;
            if (step % every == 0) report.accept(new Step(step, running, (System.nanoTime() - start) / 1e9));
        }
        return step;
    }

    public Backend backend() { return backend; }
}
