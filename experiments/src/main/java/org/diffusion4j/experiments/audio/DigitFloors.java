package org.diffusion4j.experiments.audio;

import org.diffusion4j.experiments.eval.ClassifierFeatures;
import org.diffusion4j.experiments.metrics.FeatureStats;
import org.diffusion4j.experiments.metrics.FrechetDistance;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the audio scores mean at their two ends, on the same classifier: the test voices' clips (a perfect model's
 * samples) and white noise. The test split is split into two halves (even and odd positions of a seeded shuffle):
 * FD(half A, half B) is the floor a perfect model could reach at that sample size, and the classifier's accuracy on
 * the whole split is the recognition rate of real speech. Noise clips are N(0, {@link #NOISE_STD}^2) clipped to
 * [-1, 1] (Philox normals of seed, stream 0), asked for digits 0, 1, 2, ... in turn.
 */
public record DigitFloors(double testAccuracy, double fdTestHalves, int halfSize, double noiseRecognition, double fdNoise,
                          int noiseClips) {
    public static final double NOISE_STD = 0.3;

    /** test: the test voices' clips and digits, their classifier outputs; noise: the noise clips' outputs. */
    public static DigitFloors compute(ClassifierFeatures.Output test, int[] testDigits, ClassifierFeatures.Output noise, long seed) {
        int n = test.size();
        if (n < 4) throw new IllegalArgumentException("floors need at least 4 test clips, got " + n);
        int[] order = new org.diffusion4j.experiments.train.EpochOrder(n, seed, "digit-floors").order(0);
        int half = n / 2;
        double[][] a = new double[half][], b = new double[half][];
        for (int i = 0; i < half; i++) {
            a[i] = test.features()[order[2 * i]];
            b[i] = test.features()[order[2 * i + 1]];
        }
        int[] asked = askedDigits(noise.size());
        return new DigitFloors(DigitScores.recognitionRate(test.predictions(), testDigits),
                new FrechetDistance().between(FeatureStats.of(a), FeatureStats.of(b)), half,
                DigitScores.recognitionRate(noise.predictions(), asked),
                new FrechetDistance().between(FeatureStats.of(noise.features()), FeatureStats.of(test.features())), noise.size());
    }

    /** n clips of white noise (see the class comment). */
    public static double[][] noiseClips(int n, long seed) {
        double[] z = Tensor.randn(Backends.cpu(), DType.F64, seed, 0, n * SpokenDigits.CLIP_SAMPLES).toDoubleArray();
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(z, i * SpokenDigits.CLIP_SAMPLES, (i + 1) * SpokenDigits.CLIP_SAMPLES);
            for (int j = 0; j < out[i].length; j++) out[i][j] = Math.max(-1, Math.min(1, NOISE_STD * out[i][j]));
        }
        return out;
    }

    /** 0, 1, ..., 9, 0, 1, ...: the digits a class-conditional run is asked for. */
    public static int[] askedDigits(int n) {
        int[] d = new int[n];
        for (int i = 0; i < n; i++) d[i] = i % DigitClassifier.CLASSES;
        return d;
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("test_voices_accuracy", testAccuracy);
        m.put("fd_test_half_vs_half", fdTestHalves);
        m.put("half_size", halfSize);
        m.put("noise_recognition", noiseRecognition);
        m.put("fd_noise_vs_test", fdNoise);
        m.put("noise_clips", noiseClips);
        return m;
    }

    public String render() {
        return String.format(java.util.Locale.ROOT, """
                floors: test voices  recognition %.4f, FD half vs half %.4f (%d each)
                        white noise  recognition %.4f, FD vs test %.4f (%d clips, std %.1f)
                """, testAccuracy, fdTestHalves, halfSize, noiseRecognition, fdNoise, noiseClips, NOISE_STD);
    }
}
