package org.diffusion4j.diffusion.schedule;

import java.util.Locale;

/**
 * How a sampler with S steps picks its timesteps from a chain of T (Lin et al. 2023, "Common diffusion noise
 * schedules and sample steps are flawed", Sec. 3.3 and Table 2). In the paper's 1-based timesteps, for T = 1000
 * and S = 10:
 * <ul>
 *   <li>LINSPACE (iDDPM): round(linspace(1, T, S)) = 1, 112, 223, ..., 889, 1000;</li>
 *   <li>LEADING (DDIM, Stable Diffusion): 1 + k T/S for k = 0..S-1 = 1, 101, ..., 901;</li>
 *   <li>TRAILING (DPM-Solver): round(T - k T/S) for k = 0..S-1 = 1000, 900, ..., 100.</li>
 * </ul>
 * Only LINSPACE and TRAILING start at the last timestep T. This class returns 0-based indices (paper's t - 1),
 * in sampling order (descending).
 */
public enum TimestepSpacing {
    LINSPACE, LEADING, TRAILING;

    /** S distinct 0-based timestep indices in [0, T-1], descending. */
    public int[] timesteps(int totalSteps, int samplingSteps) {
        if (totalSteps < 1) throw new IllegalArgumentException("total steps T must be >= 1, got " + totalSteps);
        if (samplingSteps < 1 || samplingSteps > totalSteps) throw new IllegalArgumentException("sampling steps must be in [1, "
                + totalSteps + "], got " + samplingSteps);
        int t = totalSteps, s = samplingSteps;
        int[] ascending = new int[s];
        for (int k = 0; k < s; k++) {
            long oneBased = switch (this) {
                case LINSPACE -> s == 1 ? t : Math.round(1.0 + (double) (t - 1) * k / (s - 1));
                case LEADING -> 1 + (long) k * (t / s);
                case TRAILING -> Math.round(t - (double) (s - 1 - k) * t / s);
            };
            ascending[k] = (int) oneBased - 1;
        }
        int[] descending = new int[s];
        for (int k = 0; k < s; k++) descending[k] = ascending[s - 1 - k];
        for (int k = 1; k < s; k++) if (descending[k] >= descending[k - 1]) throw new IllegalStateException(this
                + " spacing gave repeated timestep " + descending[k] + " for T=" + t + ", S=" + s);
        return descending;
    }

    public static TimestepSpacing byName(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown timestep spacing '" + name + "': expected linspace, leading or trailing");
        }
    }
}
