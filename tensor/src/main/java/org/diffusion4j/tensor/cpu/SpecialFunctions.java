package org.diffusion4j.tensor.cpu;

/**
 * The error function, which {@code java.lang.Math} lacks, to about double precision (a few ulps).
 *
 * <p>Two classical expansions from Abramowitz and Stegun, <i>Handbook of Mathematical Functions</i> (1964):
 * <ul>
 *   <li>for |x| &lt; 2.5 the everywhere-convergent series with positive terms (A&amp;S 7.1.6)
 *       <pre>erf x = 2/sqrt(pi) * exp(-x^2) * sum_{n>=0} 2^n x^(2n+1) / (1*3*...*(2n+1))</pre>
 *       which has no cancellation, unlike the alternating Taylor series;</li>
 *   <li>for |x| &gt;= 2.5 the continued fraction (A&amp;S 7.1.14)
 *       <pre>erfc x = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))</pre>
 *       evaluated bottom-up from a fixed depth, and erf x = 1 - erfc x.</li>
 * </ul>
 * erfc uses the continued fraction already from 1.5 so that its relative error stays small in the tail.
 * Both are deterministic; the test checks published values.
 */
public final class SpecialFunctions {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126; // 2 / sqrt(pi)
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563; // 1 / sqrt(pi)
    private static final double SWITCH = 2.5;
    /** erfc uses the fraction from here on, where 1 - erf would lose relative precision (depth 120 converges for x >= 1.5). */
    private static final double ERFC_SWITCH = 1.5;
    private static final int FRACTION_DEPTH = 120;

    private SpecialFunctions() { }

    /** The error function erf(x) = 2/sqrt(pi) * integral_0^x exp(-t^2) dt. */
    public static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double ax = Math.abs(x);
        if (ax < SWITCH) return seriesErf(x);
        if (ax > 6.0) return Math.copySign(1.0, x); // erfc(6) = 2.2e-17 is below half an ulp of 1
        double r = 1.0 - fractionErfc(ax);
        return x < 0 ? -r : r;
    }

    /** The complementary error function 1 - erf(x), accurate also where it is tiny (large x). */
    public static double erfc(double x) {
        if (Double.isNaN(x)) return x;
        if (x >= ERFC_SWITCH) return x > 27.3 ? 0.0 : fractionErfc(x);
        if (x <= -ERFC_SWITCH) return 2.0 - fractionErfc(-x);
        return 1.0 - seriesErf(x);
    }

    /** Standard normal cumulative distribution Phi(x) = (1 + erf(x / sqrt 2)) / 2. */
    public static double normalCdf(double x) { return 0.5 * erfc(-x / Math.sqrt(2.0)); }

    // A&S 7.1.6: term_n = term_{n-1} * 2 x^2 / (2n + 1), starting at term_0 = x.
    private static double seriesErf(double x) {
        double x2 = x * x;
        double term = x, sum = x;
        for (int n = 1; n < 200; n++) {
            term *= 2.0 * x2 / (2 * n + 1);
            sum += term;
            if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    // A&S 7.1.14 with partial numerators n/2, evaluated from the bottom up.
    private static double fractionErfc(double x) {
        double t = x;
        for (int n = FRACTION_DEPTH; n >= 1; n--) t = x + (n * 0.5) / t;
        return ONE_OVER_SQRT_PI * Math.exp(-x * x) / t;
    }
}
