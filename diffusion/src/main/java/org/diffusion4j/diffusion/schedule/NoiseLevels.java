package org.diffusion4j.diffusion.schedule;

/** Sequences of noise levels sigma (variance-exploding coordinates) for NCSN and EDM samplers. */
public final class NoiseLevels {
    private NoiseLevels() { }

    /**
     * NCSN's geometric sequence (Song &amp; Ermon 2019, Sec. 4.2): sigma_1 = sigmaMax &gt; ... &gt; sigma_L = sigmaMin with
     * constant ratio, sigma_i = sigmaMax (sigmaMin / sigmaMax)^((i-1)/(L-1)). Descending.
     */
    public static double[] geometric(double sigmaMax, double sigmaMin, int levels) {
        checkRange(sigmaMin, sigmaMax);
        if (levels < 1) throw new IllegalArgumentException("number of noise levels must be >= 1, got " + levels);
        double[] s = new double[levels];
        for (int i = 0; i < levels; i++) s[i] = levels == 1 ? sigmaMax : sigmaMax * Math.pow(sigmaMin / sigmaMax, (double) i / (levels - 1));
        if (levels > 1) s[levels - 1] = sigmaMin;
        return s;
    }

    /**
     * Karras et al. 2022, eq. 5: sigma_i = (sigmaMax^(1/rho) + i/(N-1) (sigmaMin^(1/rho) - sigmaMax^(1/rho)))^rho for
     * i = 0..N-1, followed by sigma_N = 0. Returns N + 1 values, descending, the last 0. They use rho = 7.
     */
    public static double[] karras(int steps, double sigmaMin, double sigmaMax, double rho) {
        checkRange(sigmaMin, sigmaMax);
        if (steps < 1) throw new IllegalArgumentException("number of steps must be >= 1, got " + steps);
        if (!(rho > 0)) throw new IllegalArgumentException("rho must be > 0, got " + rho);
        double a = Math.pow(sigmaMax, 1 / rho), b = Math.pow(sigmaMin, 1 / rho);
        double[] s = new double[steps + 1];
        for (int i = 0; i < steps; i++) s[i] = steps == 1 ? sigmaMax : Math.pow(a + (double) i / (steps - 1) * (b - a), rho);
        s[0] = sigmaMax;
        if (steps > 1) s[steps - 1] = sigmaMin;
        s[steps] = 0.0;
        return s;
    }

    /**
     * Noise levels equally spaced in log sigma (diffusers' use_exponential_sigmas): sigma_i = exp(log sigmaMax +
     * i/(N-1) (log sigmaMin - log sigmaMax)) for i = 0..N-1, followed by 0. Returns N + 1 values, descending.
     */
    public static double[] exponential(int steps, double sigmaMin, double sigmaMax) {
        checkRange(sigmaMin, sigmaMax);
        if (steps < 1) throw new IllegalArgumentException("number of steps must be >= 1, got " + steps);
        double[] s = new double[steps + 1];
        double a = Math.log(sigmaMax), b = Math.log(sigmaMin);
        for (int i = 0; i < steps; i++) s[i] = Math.exp(steps == 1 ? a : a + (b - a) * i / (steps - 1));
        s[steps] = 0.0;
        return s;
    }

    /**
     * The discrete schedule's noise levels at the given (possibly fractional) timesteps, descending, followed by 0.
     * Between integer timesteps, {@link SigmaInterpolation#LOG} interpolates log sigma (as k-diffusion and this
     * project's networks do), {@link SigmaInterpolation#LINEAR} interpolates sigma itself (numpy.interp, diffusers'
     * interpolation_type "linear").
     */
    public static double[] ofTimesteps(DiscreteSchedule schedule, double[] timesteps, SigmaInterpolation interpolation) {
        if (timesteps.length < 1) throw new IllegalArgumentException("need at least one timestep, got none");
        double[] s = new double[timesteps.length + 1];
        for (int k = 0; k < timesteps.length; k++) {
            double t = timesteps[k];
            if (!(t >= 0 && t <= schedule.steps() - 1)) throw new IllegalArgumentException("timestep " + t + " is outside [0, "
                    + (schedule.steps() - 1) + "] of " + schedule);
            if (k > 0 && !(t < timesteps[k - 1])) throw new IllegalArgumentException("timesteps must decrease: " + t + " after "
                    + timesteps[k - 1]);
            s[k] = interpolation.sigma(schedule, t);
        }
        s[timesteps.length] = 0.0;
        return s;
    }

    /**
     * A continuous process's own discretisation: N times equally spaced from its end time T down to endTime,
     * t_i = T + i (endTime - T) / (N - 1), mapped to noise levels sigma(t_i), followed by 0.
     */
    public static double[] uniformInTime(MarginalProcess process, double startTime, double endTime, int steps) {
        if (steps < 1) throw new IllegalArgumentException("number of steps must be >= 1, got " + steps);
        if (!(endTime > 0 && endTime < startTime)) throw new IllegalArgumentException("need 0 < end time < " + startTime
                + ", got " + endTime);
        double[] s = new double[steps + 1];
        for (int i = 0; i < steps; i++) s[i] = process.noiseLevel(steps == 1 ? startTime : startTime + (endTime - startTime) * i / (steps - 1));
        s[steps] = 0.0;
        return s;
    }

    private static void checkRange(double sigmaMin, double sigmaMax) {
        if (!(sigmaMin > 0)) throw new IllegalArgumentException("sigmaMin must be > 0, got " + sigmaMin);
        if (!(sigmaMax > sigmaMin)) throw new IllegalArgumentException("sigmaMax must be > sigmaMin = " + sigmaMin + ", got " + sigmaMax);
    }
}
