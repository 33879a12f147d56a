package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.sde.EdmSde;
import org.diffusion4j.diffusion.sde.Sde;
import org.diffusion4j.diffusion.sde.VeSde;

/**
 * The forward process a sampler runs backwards, as the registry ({@link Samplers#create}) takes it: the discrete DDPM
 * chain with its schedule, or a continuous SDE with the range of noise levels it was trained on.
 *
 * <p><b>The one starting convention.</b> A standard-normal z means the same x_T for every sampler of the same process:
 * the process's prior point in its own coordinates, x_T = priorStd z (x_T = z for the chain, VP and sub-VP; sigma_max z
 * for VE and EDM). A sampler that starts at noise level sigma_0 on variance-exploding coordinates y = x / alpha
 * therefore starts at y = {@link #startScale}(sigma_0) z: sqrt(1 + sigma_0^2) z on variance-preserving processes
 * (1 / alpha at sigma_0), sigma_0 z on variance-exploding ones. (diffusers' Euler-family schedulers start at
 * sigma_0 z for linspace and trailing spacing on every schedule; the samplers' option start=sigma reproduces that.)
 */
public sealed interface SamplingProcess {
    /** Smallest and largest noise levels sigma (variance-exploding coordinates) the process covers. */
    double sigmaMin();

    double sigmaMax();

    /** c with y_start = c z at noise level sigma0 (see the class comment). */
    double startScale(double sigma0);

    /**
     * The discrete chain of Ho et al. 2020 (variance preserving), with the VP SDE that is its continuous limit where
     * one exists (beta(t) = T beta_{tT} for the linear schedule, Song et al. 2021, Sec. 3.4), for the samplers that
     * integrate an SDE; null where there is none.
     */
    record Chain(DiscreteSchedule schedule, Sde continuousLimit) implements SamplingProcess {
        public Chain {
            if (schedule == null) throw new IllegalArgumentException("schedule must not be null");
        }

        public Chain(DiscreteSchedule schedule) { this(schedule, null); }

        @Override public double sigmaMin() { return schedule.sigma(0); }

        /** The largest finite sigma (a zero-terminal-SNR schedule's last step has none). */
        @Override public double sigmaMax() { return schedule.sigma(lastFinite()); }

        public int lastFinite() { return schedule.alphaBar(schedule.steps() - 1) > 0 ? schedule.steps() - 1 : schedule.steps() - 2; }

        @Override public double startScale(double sigma0) { return Math.sqrt(1 + sigma0 * sigma0); }

        @Override public String toString() { return "chain " + schedule; }
    }

    /**
     * A continuous process: its SDE, the time endTime at which integration stops, and the noise-level range
     * [sigmaMin, sigmaMax] that sigma-sequence samplers use (by default the SDE's sigma(endTime), sigma(T)).
     */
    record Continuous(Sde sde, double endTime, double sigmaMin, double sigmaMax) implements SamplingProcess {
        public Continuous {
            if (sde == null) throw new IllegalArgumentException("sde must not be null");
            if (!(endTime > 0 && endTime < sde.endTime())) throw new IllegalArgumentException("end time must be in (0, "
                    + sde.endTime() + "), got " + endTime);
            if (!(sigmaMin > 0 && sigmaMax > sigmaMin)) throw new IllegalArgumentException("need 0 < sigma-min < sigma-max, got "
                    + sigmaMin + ", " + sigmaMax);
        }

        public Continuous(Sde sde, double endTime) { this(sde, endTime, sde.noiseLevel(endTime), sde.noiseLevel(sde.endTime())); }

        /** Variance exploding: x = y, no mean decay (VE, EDM). */
        public boolean varianceExploding() { return sde instanceof VeSde || sde instanceof EdmSde; }

        @Override public double startScale(double sigma0) {
            return varianceExploding() ? sigma0 : 1 / sde.meanScale(sde.timeOfNoiseLevel(sigma0));
        }

        @Override public String toString() { return sde.describe() + ", end time " + endTime + ", sigma " + sigmaMin + ".." + sigmaMax; }
    }
}
