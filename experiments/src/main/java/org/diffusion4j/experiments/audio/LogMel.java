package org.diffusion4j.experiments.audio;

/**
 * Log-mel spectrogram: frames of {@link #FRAME} samples every {@link #HOP} (no padding), a periodic Hann window, the
 * power spectrum |X_k|^2 of a radix-2 FFT, triangular mel filters (the HTK mel scale m = 2595 log10(1 + f / 700),
 * filters' corners equally spaced in m between 0 Hz and the Nyquist frequency, each peaking at 1), and
 * ln(max(energy, {@link #FLOOR})). At 8 kHz the defaults are 32 ms frames every 8 ms: 122 frames of 64 bands for a
 * 1 s clip.
 */
public final class LogMel {
    public static final int FRAME = 256, HOP = 64, BANDS = 64;
    public static final double FLOOR = 1e-6;

    private final int sampleRate, frame, hop, bands;
    private final double[] window;
    private final double[][] filters;       // [band][bin], bins 0..frame/2

    public LogMel(int sampleRate) { this(sampleRate, FRAME, HOP, BANDS); }

    public LogMel(int sampleRate, int frame, int hop, int bands) {
        if (frame < 2 || Integer.bitCount(frame) != 1) throw new IllegalArgumentException("frame must be a power of two >= 2, got " + frame);
        if (hop < 1 || bands < 1 || sampleRate < 1) throw new IllegalArgumentException("hop, bands and sample rate must be >= 1, got "
                + hop + ", " + bands + ", " + sampleRate);
        this.sampleRate = sampleRate;
        this.frame = frame;
        this.hop = hop;
        this.bands = bands;
        this.window = new double[frame];
        for (int i = 0; i < frame; i++) window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / frame);
        this.filters = melFilters(sampleRate, frame, bands);
    }

    public int bands() { return bands; }

    /** Frames of a signal of n samples. */
    public int frames(int n) { return n < frame ? 0 : 1 + (n - frame) / hop; }

    /** [frames][bands] of ln energies. */
    public double[][] compute(double[] x) {
        int frames = frames(x.length);
        if (frames == 0) throw new IllegalArgumentException("a log-mel spectrogram needs at least " + frame + " samples, got " + x.length);
        double[][] out = new double[frames][bands];
        double[] re = new double[frame], im = new double[frame];
        for (int t = 0; t < frames; t++) {
            for (int i = 0; i < frame; i++) {
                re[i] = x[t * hop + i] * window[i];
                im[i] = 0;
            }
            fft(re, im);
            for (int b = 0; b < bands; b++) {
                double e = 0;
                for (int k = 0; k <= frame / 2; k++) if (filters[b][k] != 0) e += filters[b][k] * (re[k] * re[k] + im[k] * im[k]);
                out[t][b] = Math.log(Math.max(e, FLOOR));
            }
        }
        return out;
    }

    static double hzToMel(double f) { return 2595 * Math.log10(1 + f / 700); }

    static double melToHz(double m) { return 700 * (Math.pow(10, m / 2595) - 1); }

    /** The centre frequency of band b in Hz. */
    public double centreHz(int b) { return melToHz(hzToMel(sampleRate / 2.0) * (b + 1) / (bands + 1)); }

    static double[][] melFilters(int sampleRate, int frame, int bands) {
        double top = hzToMel(sampleRate / 2.0);
        double[] corner = new double[bands + 2];
        for (int i = 0; i < corner.length; i++) corner[i] = melToHz(top * i / (bands + 1));
        double[][] f = new double[bands][frame / 2 + 1];
        for (int b = 0; b < bands; b++) {
            double lo = corner[b], mid = corner[b + 1], hi = corner[b + 2];
            for (int k = 0; k <= frame / 2; k++) {
                double hz = k * (double) sampleRate / frame;
                if (hz > lo && hz <= mid) f[b][k] = (hz - lo) / (mid - lo);
                else if (hz > mid && hz < hi) f[b][k] = (hi - hz) / (hi - mid);
            }
        }
        return f;
    }

    /** In-place iterative radix-2 Cooley-Tukey FFT, X_k = sum_n x_n exp(-2 pi i k n / N). */
    static void fft(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {                       // bit-reversal permutation
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j |= bit;
            if (i < j) {
                double t = re[i]; re[i] = re[j]; re[j] = t;
                t = im[i]; im[i] = im[j]; im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double angle = -2 * Math.PI / len;
            for (int start = 0; start < n; start += len) {
                for (int k = 0; k < len / 2; k++) {
                    double wr = Math.cos(angle * k), wi = Math.sin(angle * k);
                    int a = start + k, b = a + len / 2;
                    double xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }
}
