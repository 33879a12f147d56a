package org.diffusion4j.experiments.text;

import org.diffusion4j.diffusion.text.AutoregressiveObjective;
import org.diffusion4j.diffusion.text.TokenDenoiser;

/**
 * Scores of text: bits per character under the autoregressive model with a standard error over windows,
 * generative perplexity (2^bits per character of samples under that model, per character), and the unigram
 * entropy of the characters (low when a sampler repeats itself).
 */
public final class TextEvaluation {
    private TextEvaluation() { }

    /** A mean over sequences with its standard error. */
    public record Mean(double mean, double standardError, int count) {
        public static Mean of(double[] v) {
            double m = 0, s = 0;
            for (double x : v) m += x / v.length;
            for (double x : v) s += (x - m) * (x - m) / (v.length - 1);
            return new Mean(m, Math.sqrt(s / v.length), v.length);
        }

        @Override public String toString() { return String.format("%.4f +- %.4f (%d)", mean, standardError, count); }
    }

    /** Bits per character of n sequences x [n, l] under an autoregressive network, in batches of 16. */
    public static Mean autoregressiveBits(TokenDenoiser ar, int[] x, int n, int l) {
        AutoregressiveObjective obj = new AutoregressiveObjective(CharVocabulary.SIZE);
        double[] per = new double[n];
        for (int from = 0; from < n; from += 16) {
            int m = Math.min(16, n - from);
            double[] b = obj.bitsPerCharPerSequence(ar, java.util.Arrays.copyOfRange(x, from * l, (from + m) * l), m, l);
            System.arraycopy(b, 0, per, from, m);
        }
        return Mean.of(per);
    }

    /** Entropy in bits of the characters' frequencies in x. */
    public static double unigramEntropyBits(int[] x) {
        double[] count = new double[CharVocabulary.SIZE + 1];
        for (int t : x) count[Math.min(t, CharVocabulary.SIZE)]++;
        double h = 0;
        for (double c : count) if (c > 0) h -= c / x.length * Math.log(c / x.length) / Math.log(2);
        return h;
    }
}
