package org.diffusion4j.experiments.audio;

/**
 * Makes a synthesised word into a dataset clip: a fixed length with the spoken part centred and the peak at
 * full scale. The spoken part is where a moving RMS (20 ms) exceeds {@link #THRESHOLD} of its maximum; its middle
 * goes to the middle of the clip. A word longer than the clip keeps its middle part (the manifest records how
 * many spoken samples there were, so truncation is visible). Then x / max|x|, so the peak is exactly 1.
 */
public final class ClipShaping {
    static final double THRESHOLD = 0.05;

    private ClipShaping() {}

    /** The shaped clip and the length of the spoken part it was cut around. */
    public record Shaped(double[] samples, int spokenSamples) {}

    public static Shaped centreAndNormalise(double[] x, int length, int sampleRate) {
        if (length < 1) throw new IllegalArgumentException("clip length must be >= 1 sample, got " + length);
        int[] span = spokenSpan(x, Math.max(1, sampleRate / 50));
        if (span == null) throw new IllegalArgumentException("the synthesised audio is silent (" + x.length + " samples, all zero)");
        int spoken = span[1] - span[0];
        int middle = (span[0] + span[1]) / 2;
        int start = middle - length / 2;               // index in x of the clip's first sample
        double[] y = new double[length];
        double peak = 0;
        for (int i = 0; i < length; i++) {
            int j = start + i;
            y[i] = j >= 0 && j < x.length ? x[j] : 0;
            peak = Math.max(peak, Math.abs(y[i]));
        }
        for (int i = 0; i < length; i++) y[i] /= peak;
        return new Shaped(y, spoken);
    }

    /** [first, end) of the samples whose centred moving RMS over a window exceeds THRESHOLD of the largest; null if silent. */
    static int[] spokenSpan(double[] x, int window) {
        double[] prefix = new double[x.length + 1];
        for (int i = 0; i < x.length; i++) prefix[i + 1] = prefix[i] + x[i] * x[i];
        double[] rms = new double[x.length];
        double max = 0;
        for (int i = 0; i < x.length; i++) {
            int lo = Math.max(0, i - window / 2), hi = Math.min(x.length, lo + window);
            rms[i] = Math.sqrt((prefix[hi] - prefix[lo]) / (hi - lo));
            max = Math.max(max, rms[i]);
        }
        if (max == 0) return null;
        int first = -1, last = -1;
        for (int i = 0; i < x.length; i++) {
            if (rms[i] > THRESHOLD * max) {
                if (first < 0) first = i;
                last = i;
            }
        }
        return new int[]{first, last + 1};
    }
}
