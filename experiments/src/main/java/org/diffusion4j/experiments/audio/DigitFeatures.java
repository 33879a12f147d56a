package org.diffusion4j.experiments.audio;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.experiments.eval.ClassifierFeatures;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Batched, gradient-free inference of {@link DigitClassifier} on clips of {@link SpokenDigits#CLIP_SAMPLES} samples:
 * the 64 features and the digit probabilities of each clip, in the record image evaluation uses.
 */
public final class DigitFeatures {
    /** Clips per forward pass. */
    public static final int BATCH = 256;

    private DigitFeatures() {}

    /** The network's inputs [n, 64, 120] of clips from..from+n-1 (log-mel computed on the host). */
    static Tensor inputs(double[][] clips, int[] indices, Backend backend) {
        int per = LogMel.BANDS * DigitClassifier.FRAMES;
        double[] flat = new double[indices.length * per];
        for (int k = 0; k < indices.length; k++) {
            int length = clips[indices[k]].length;
            if (length != SpokenDigits.CLIP_SAMPLES) throw new IllegalArgumentException("clip " + indices[k] + " has "
                    + length + " samples; the digit classifier reads " + SpokenDigits.CLIP_SAMPLES + " (1 s at "
                    + SpokenDigits.SAMPLE_RATE + " Hz)");
        }
        // the spectrograms on every core: each clip's is independent of the others'
        java.util.stream.IntStream.range(0, indices.length).parallel()
                .forEach(k -> System.arraycopy(DigitClassifier.input(clips[indices[k]]), 0, flat, k * per, per));
        return Tensor.of(backend, DType.F32, flat, indices.length, LogMel.BANDS, DigitClassifier.FRAMES);
    }

    /** Features [n][64] and probabilities [n][10] of the clips. */
    public static ClassifierFeatures.Output of(DigitClassifier model, double[][] clips, Backend backend) {
        int n = clips.length;
        double[][] features = new double[n][], probabilities = new double[n][];
        for (int start = 0; start < n; start += BATCH) {
            int m = Math.min(BATCH, n - start);
            int[] idx = new int[m];
            for (int k = 0; k < m; k++) idx[k] = start + k;
            try (Scope s = Scope.open(); NoGrad g = NoGrad.enter()) {
                Variable f = model.features(Variable.constant(inputs(clips, idx, backend)));
                double[] fv = f.value().toDoubleArray(), pv = model.logits(f).value().softmax(1).toDoubleArray();
                for (int k = 0; k < m; k++) {
                    features[start + k] = Arrays.copyOfRange(fv, k * DigitClassifier.FEATURES, (k + 1) * DigitClassifier.FEATURES);
                    probabilities[start + k] = Arrays.copyOfRange(pv, k * DigitClassifier.CLASSES, (k + 1) * DigitClassifier.CLASSES);
                }
            }
        }
        return new ClassifierFeatures.Output(features, probabilities);
    }

    /** The clips of a dataset as rows. */
    public static double[][] clips(AudioDataset data) {
        double[][] out = new double[data.size()][];
        for (int i = 0; i < out.length; i++) out[i] = data.clip(i);
        return out;
    }

    /** Fraction of a labelled dataset the model recognises as its own digit. */
    public static double accuracy(DigitClassifier model, AudioDataset data, Backend backend) {
        int[] labels = new int[data.size()];
        for (int i = 0; i < labels.length; i++) labels[i] = data.label(i);
        return DigitScores.recognitionRate(of(model, clips(data), backend).predictions(), labels);
    }
}
