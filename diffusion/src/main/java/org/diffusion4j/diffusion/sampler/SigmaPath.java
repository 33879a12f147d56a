package org.diffusion4j.diffusion.sampler;

import java.util.Arrays;

/**
 * What a noise-level sampler walks: decreasing noise levels sigma_0 &gt; ... &gt; sigma_N = 0 on variance-exploding
 * coordinates, and the scale c of its first point y_0 = c z for the standard-normal z of the request (see
 * {@link SamplingProcess} for the one starting convention that sets c).
 */
public record SigmaPath(double[] sigmas, double startScale) {
    public SigmaPath {
        if (sigmas == null || sigmas.length < 2) throw new IllegalArgumentException("need at least 2 noise levels (the last 0), got "
                + (sigmas == null ? 0 : sigmas.length));
        if (sigmas[sigmas.length - 1] != 0) throw new IllegalArgumentException("the last noise level must be 0, got "
                + sigmas[sigmas.length - 1] + " (end the sequence with 0)");
        for (int i = 1; i < sigmas.length; i++) if (!(sigmas[i] < sigmas[i - 1])) throw new IllegalArgumentException(
                "noise levels must decrease: sigma[" + i + "] = " + sigmas[i] + " after " + sigmas[i - 1]);
        if (!(startScale > 0) || Double.isInfinite(startScale)) throw new IllegalArgumentException("start scale must be finite and > 0, got "
                + startScale);
        sigmas = sigmas.clone();
    }

    /** A variance-exploding start: y_0 = sigma_0 z. */
    public static SigmaPath exploding(double[] sigmas) { return new SigmaPath(sigmas, sigmas.length > 0 ? sigmas[0] : 1); }

    /** The given sigmas on a process, starting where {@link SamplingProcess#startScale} says. */
    public static SigmaPath on(SamplingProcess process, double[] sigmas) {
        return new SigmaPath(sigmas, process.startScale(sigmas[0]));
    }

    /** N, the number of steps (noise levels before the final 0). */
    public int steps() { return sigmas.length - 1; }

    public double sigma(int i) { return sigmas[i]; }

    @Override public double[] sigmas() { return sigmas.clone(); }

    @Override public String toString() { return "SigmaPath" + Arrays.toString(sigmas) + " x " + startScale; }
}
