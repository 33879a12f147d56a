package org.diffusion4j.experiments.cli;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.schedule.MarginalProcess;
import org.diffusion4j.diffusion.sde.Sde;
import org.diffusion4j.tensor.Tensor;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A denoiser that passes every call through to the model and reports, every few seconds, how many network
 * evaluations the sampler has made: a DDPM-1000 run over thousands of images takes minutes, and it should say where
 * it is. Each top-level call counts as one evaluation (one NFE); what the model does inside is not counted again.
 * With the expected number of evaluations (0 when the sampler's count is not known in advance) the line has an ETA.
 * The numbers sampled do not change: every call goes to the model unaltered.
 */
final class SamplingProgress implements Denoiser {
    private final Denoiser model;
    private final String label;
    private final long expected;
    private final PrintWriter out;
    private final LongSupplier nanoClock;
    private final long intervalNanos;
    private final long start;
    private long evaluations, lastReport;

    SamplingProgress(Denoiser model, String label, long expectedEvaluations, PrintWriter out) {
        this(model, label, expectedEvaluations, out, System::nanoTime, 5_000_000_000L);
    }

    SamplingProgress(Denoiser model, String label, long expectedEvaluations, PrintWriter out, LongSupplier nanoClock,
                     long intervalNanos) {
        this.model = model;
        this.label = label;
        this.expected = expectedEvaluations;
        this.out = out;
        this.nanoClock = nanoClock;
        this.intervalNanos = intervalNanos;
        this.start = nanoClock.getAsLong();
        this.lastReport = start;
    }

    /** Network evaluations so far. */
    long evaluations() { return evaluations; }

    private void tick() {
        evaluations++;
        long now = nanoClock.getAsLong();
        if (now - lastReport < intervalNanos) return;
        lastReport = now;
        double seconds = (now - start) / 1e9, rate = evaluations / seconds;
        String of = expected > 0 ? evaluations + "/" + expected : Long.toString(evaluations);
        String eta = expected > evaluations ? String.format(Locale.ROOT, ", ETA %.0f s", (expected - evaluations) / rate) : "";
        out.printf(Locale.ROOT, "%s: %s network evaluations, %.1f s, %.2f/s%s%n", label, of, seconds, rate, eta);
        out.flush();
    }

    @Override public Variable denoise(Variable x, double sigma) {
        tick();
        return model.denoise(x, sigma);
    }

    @Override public Tensor denoise(Tensor x, double sigma) {
        tick();
        return model.denoise(x, sigma);
    }

    @Override public Tensor score(Tensor x, double sigma) {
        tick();
        return model.score(x, sigma);
    }

    @Override public Variable score(Variable x, double sigma) {
        tick();
        return model.score(x, sigma);
    }

    @Override public Sde.ScoreField scoreOn(MarginalProcess process) {
        Sde.ScoreField field = model.scoreOn(process);
        return (x, t) -> {
            tick();
            return field.score(x, t);
        };
    }

    @Override public java.util.Optional<AffineDenoised> denoiseAffine(Tensor x, double scale, double sigma) {
        java.util.Optional<AffineDenoised> d = model.denoiseAffine(x, scale, sigma);
        if (d.isPresent()) tick();
        return d;
    }

    @Override public Tensor denoiseFromPureNoise(Tensor x) {
        tick();
        return model.denoiseFromPureNoise(x);
    }
}
