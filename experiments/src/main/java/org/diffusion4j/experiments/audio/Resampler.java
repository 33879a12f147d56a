package org.diffusion4j.experiments.audio;

/**
 * Band-limited resampling by windowed-sinc interpolation (Smith, "Digital Audio Resampling", the ideal
 * bandlimited interpolator truncated by a window): output sample m sits at input time t = m * inRate / outRate and is
 * y[m] = sum_k x[k] c h(c (t - k)) w((t - k) / (Z / c)), with h(u) = sin(pi u) / (pi u), a cutoff c = 0.95 min(1,
 * outRate / inRate) (in cycles per input sample over one half, so that nothing above the new Nyquist frequency
 * aliases), Z = 16 zero crossings each side and a Hann window w. Samples beyond the ends are zero.
 */
public final class Resampler {
    static final int ZERO_CROSSINGS = 16;
    static final double ROLLOFF = 0.95;

    private Resampler() {}

    public static double[] resample(double[] x, int inRate, int outRate) {
        if (inRate < 1 || outRate < 1) throw new IllegalArgumentException("sample rates must be >= 1 Hz, got " + inRate
                + " -> " + outRate);
        if (inRate == outRate) return x.clone();
        double step = inRate / (double) outRate;
        double cutoff = ROLLOFF * Math.min(1.0, outRate / (double) inRate);
        double halfWidth = ZERO_CROSSINGS / cutoff;            // in input samples
        int n = (int) Math.floor(x.length / step);
        double[] y = new double[n];
        for (int m = 0; m < n; m++) {
            double t = m * step;
            int lo = Math.max(0, (int) Math.ceil(t - halfWidth)), hi = Math.min(x.length - 1, (int) Math.floor(t + halfWidth));
            double acc = 0;
            for (int k = lo; k <= hi; k++) {
                double u = t - k;
                acc += x[k] * cutoff * sinc(cutoff * u) * hann(u / halfWidth);
            }
            y[m] = acc;
        }
        return y;
    }

    private static double sinc(double u) { return u == 0 ? 1.0 : Math.sin(Math.PI * u) / (Math.PI * u); }

    /** Hann window on [-1, 1]. */
    private static double hann(double r) { return Math.abs(r) >= 1 ? 0 : 0.5 * (1 + Math.cos(Math.PI * r)); }
}
