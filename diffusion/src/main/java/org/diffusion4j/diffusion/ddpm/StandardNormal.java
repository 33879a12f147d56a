package org.diffusion4j.diffusion.ddpm;

/**
 * The standard normal distribution on the host in float64: its CDF through the complementary error function,
 * and the log-probability of an interval, accurate in both tails.
 */
public final class StandardNormal {
    private StandardNormal() { }

    /**
     * erfc(x) by the Chebyshev-fitted exponential of Press, Teukolsky, Vetterling and Flannery, "Numerical Recipes",
     * 3rd ed., Sec. 6.2 (erfccheb-style fit, fractional error below 1.2e-7 everywhere), written out here.
     */
    public static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
                + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
        double r = t * Math.exp(poly);
        return x >= 0 ? r : 2.0 - r;
    }

    /** Phi(x) = erfc(-x / sqrt 2) / 2. */
    public static double cdf(double x) { return 0.5 * erfc(-x / Math.sqrt(2)); }

    /**
     * log(Phi(hi) - Phi(lo)) for lo &lt; hi (either may be infinite), computed on the side of the smaller tail mass
     * so that tails do not cancel: for lo &gt; 0 use the upper tails 1 - Phi = erfc(x / sqrt 2) / 2.
     */
    public static double logProbability(double lo, double hi) {
        if (!(lo < hi)) throw new IllegalArgumentException("interval [" + lo + ", " + hi + "] is empty");
        double p;
        if (lo > 0) p = 0.5 * (erfc(lo / Math.sqrt(2)) - (hi == Double.POSITIVE_INFINITY ? 0 : erfc(hi / Math.sqrt(2))));
        else p = (hi == Double.POSITIVE_INFINITY ? 1 : cdf(hi)) - (lo == Double.NEGATIVE_INFINITY ? 0 : cdf(lo));
        return Math.log(Math.max(p, 1e-300));
    }
}
