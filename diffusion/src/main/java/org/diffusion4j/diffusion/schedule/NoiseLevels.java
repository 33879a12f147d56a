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

    private static void checkRange(double sigmaMin, double sigmaMax) {
        if (!(sigmaMin > 0)) throw new IllegalArgumentException("sigmaMin must be > 0, got " + sigmaMin);
        if (!(sigmaMax > sigmaMin)) throw new IllegalArgumentException("sigmaMax must be > sigmaMin = " + sigmaMin + ", got " + sigmaMax);
    }
}
