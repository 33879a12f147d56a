package org.diffusion4j.diffusion.schedule;

import java.util.Locale;

/**
 * How a sampler with S steps picks its timesteps from a chain of T (Lin et al. 2023, "Common diffusion noise
 * schedules and sample steps are flawed", Sec. 3.3 and Table 2), exactly as diffusers' schedulers do, numpy's
 * round-half-to-even and float {@code arange} included. The three names mean slightly different things in the three
 * scheduler families of diffusers ({@link Family}); in 0-based indices, descending:
 * <ul>
 *   <li>LINSPACE: DDIM/DDPM round(linspace(0, T-1, S)); Euler family linspace(0, T-1, S) unrounded (fractional
 *       timesteps); multistep family (DPM-Solver, UniPC) round(linspace(0, T-1, S+1)) with the last (0) dropped;</li>
 *   <li>LEADING: k (T // S) for k = 0..S-1 (DDIM, Stable Diffusion); multistep family k (T // (S+1)) for
 *       k = 0..S, the smallest dropped;</li>
 *   <li>TRAILING: round(arange(T, 0, -T/S)) - 1, the same in every family (DPM-Solver's rule).</li>
 * </ul>
 * diffusers' steps_offset is 0 here. For T = 1000, S = 10 (DDIM family): LINSPACE 999, 888, ..., 111, 0; LEADING 900,
 * 800, ..., 0; TRAILING 999, 899, ..., 99. Only LINSPACE and TRAILING start at the last timestep T - 1.
 */
public enum TimestepSpacing {
    LINSPACE, LEADING, TRAILING;

    /** The scheduler family whose reading of the spacing names applies. */
    public enum Family {
        /** DDPMScheduler, DDIMScheduler (and PNDM): S rounded points. */
        DDIM,
        /** EulerDiscrete, EulerAncestralDiscrete, HeunDiscrete, LMSDiscrete: linspace is not rounded. */
        EULER,
        /** DPMSolverMultistep, UniPCMultistep: linspace and leading over S + 1 points, the last dropped. */
        MULTISTEP
    }

    /** S distinct 0-based integer timestep indices in [0, T-1], descending (the DDIM family's rule). */
    public int[] timesteps(int totalSteps, int samplingSteps) {
        double[] t = timesteps(totalSteps, samplingSteps, Family.DDIM);
        int[] out = new int[t.length];
        for (int k = 0; k < t.length; k++) out[k] = (int) t[k];
        return out;
    }

    /** S distinct timesteps in [0, T-1], descending, as the given family computes them (integers except Euler's linspace). */
    public double[] timesteps(int totalSteps, int samplingSteps, Family family) {
        if (totalSteps < 1) throw new IllegalArgumentException("total steps T must be >= 1, got " + totalSteps);
        if (samplingSteps < 1 || samplingSteps > totalSteps) throw new IllegalArgumentException("sampling steps must be in [1, "
                + totalSteps + "], got " + samplingSteps);
        int t = totalSteps, s = samplingSteps;
        boolean multistep = family == Family.MULTISTEP;
        double[] descending = new double[s];
        switch (this) {
            case LINSPACE -> {
                int points = multistep ? s + 1 : s;
                for (int k = 0; k < s; k++) {
                    double v = linspace(0, t - 1, points, points - 1 - k);
                    descending[k] = family == Family.EULER ? v : Math.rint(v);
                }
            }
            case LEADING -> {
                int ratio = multistep ? t / (s + 1) : t / s;
                int first = multistep ? s : s - 1;
                for (int k = 0; k < s; k++) descending[k] = (double) (first - k) * ratio;
            }
            case TRAILING -> {
                // numpy's arange(T, 0, -T/S): ceil(T / (T/S)) values T + i (-T/S); then rounded half to even, minus 1
                double step = -(double) t / s;
                int count = (int) Math.ceil((0 - t) / step);
                if (count != s) throw new IllegalArgumentException("trailing spacing of T=" + t + ", S=" + s + " gives "
                        + count + " values in numpy's arange (floating point), not " + s + "; choose another S or spacing");
                for (int k = 0; k < s; k++) descending[k] = Math.rint(t + k * step) - 1;
            }
        }
        for (int k = 1; k < s; k++) if (descending[k] >= descending[k - 1]) throw new IllegalArgumentException(this
                + " spacing gives repeated timestep " + descending[k] + " for T=" + t + ", S=" + s + " (" + family + " family)");
        if (descending[s - 1] < 0) throw new IllegalArgumentException(this + " spacing gives timestep " + descending[s - 1]
                + " < 0 for T=" + t + ", S=" + s);
        return descending;
    }

    /** numpy.linspace(start, stop, num)[i]: start + i step, the last point exactly stop. */
    static double linspace(double start, double stop, int num, int i) {
        if (num == 1) return start;
        if (i == num - 1) return stop;
        double step = (stop - start) / (num - 1);
        return start + i * step;
    }

    public static TimestepSpacing byName(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown timestep spacing '" + name + "': expected linspace, leading or trailing");
        }
    }
}
