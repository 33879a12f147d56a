package org.diffusion4j.experiments.audio;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Conv1d;
import org.diffusion4j.nn.GroupNorm;
import org.diffusion4j.nn.Linear;
import org.diffusion4j.nn.Module;

import java.util.Arrays;

/**
 * The spoken-digit classifier that scores generated audio: a small 1-D CNN over the log-mel spectrogram of a 1-s clip,
 * the mel bands as channels and time as the length ({@link #input} makes its input from a clip).
 *
 * <pre>
 *   [N,64,120] -> Conv1d(64,48,k3) GN(4) SiLU  avgPool 2 -> [N,48,60]
 *              -> Conv1d(48,48,k3) GN(4) SiLU  avgPool 2 -> [N,48,30]
 *              -> Conv1d(48,48,k3) GN(4) SiLU  avgPool 2 -> [N,48,15]
 *              -> flatten, Linear(720,64) SiLU           -> [N,64]    the features
 *              -> Linear(64,10)                          -> [N,10]    digit logits
 * </pre>
 *
 * The flatten keeps where in the clip a sound is (the dataset centres each word), which tells "six" from "seven"
 * better than a mean over time. About 70k parameters (0.28 MB in F32), about 1.8 M multiply-adds per clip. The 64
 * features play the role of the audio Frechet distance's embedding (FAD, Kilgour et al. 2019), the softmax the role
 * of the Inception Score's classifier (Salimans et al. 2016), as {@code FmnistClassifier} does for images.
 */
public final class DigitClassifier extends Module {
    public static final int FEATURES = 64, CLASSES = 10;
    /** Log-mel frames the network reads: frames 1..120 of the 122 of a 1-s clip, a multiple of 8 for the three pools. */
    public static final int FRAMES = 120;
    /** Nepers below a clip's loudest cell that are still told apart; quieter cells read as -1. */
    public static final double RANGE = 12;

    private static final int WIDTH = 48;
    private static final LogMel MEL = new LogMel(SpokenDigits.SAMPLE_RATE);

    private final Conv1d conv1 = register("conv1", new Conv1d(LogMel.BANDS, WIDTH, 3, 1));
    private final GroupNorm norm1 = register("norm1", new GroupNorm(4, WIDTH));
    private final Conv1d conv2 = register("conv2", new Conv1d(WIDTH, WIDTH, 3, 1));
    private final GroupNorm norm2 = register("norm2", new GroupNorm(4, WIDTH));
    private final Conv1d conv3 = register("conv3", new Conv1d(WIDTH, WIDTH, 3, 1));
    private final GroupNorm norm3 = register("norm3", new GroupNorm(4, WIDTH));
    private final Linear features = register("features", new Linear(WIDTH * FRAMES / 8, FEATURES));
    private final Linear head = register("head", new Linear(FEATURES, CLASSES));

    /**
     * The network's input for one clip of {@link SpokenDigits#CLIP_SAMPLES} samples, [bands][frames] flattened band
     * by band: ln energies e of frames 1..120, as max(e - e_max, -RANGE) / (RANGE / 2) + 1 in [-1, 1], e_max the
     * clip's loudest cell, so the clip's gain does not matter.
     */
    public static double[] input(double[] clip) {
        if (clip.length != SpokenDigits.CLIP_SAMPLES) throw new IllegalArgumentException("the digit classifier reads clips of "
                + SpokenDigits.CLIP_SAMPLES + " samples (1 s at " + SpokenDigits.SAMPLE_RATE + " Hz), got " + clip.length);
        double[][] m = MEL.compute(clip);
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 1; t <= FRAMES; t++) for (double v : m[t]) max = Math.max(max, v);
        double[] out = new double[LogMel.BANDS * FRAMES];
        for (int t = 0; t < FRAMES; t++) {
            for (int b = 0; b < LogMel.BANDS; b++) out[b * FRAMES + t] = Math.max(m[t + 1][b] - max, -RANGE) / (RANGE / 2) + 1;
        }
        return out;
    }

    /** The features [N, 64] of inputs [N, 64, 120]. */
    public Variable features(Variable x) {
        int[] s = x.shape();
        if (s.length != 3 || s[1] != LogMel.BANDS || s[2] != FRAMES) throw new IllegalArgumentException(
                "DigitClassifier expects log-mel inputs [N, " + LogMel.BANDS + ", " + FRAMES + "], got " + Arrays.toString(s));
        Variable h = pool(norm1.forwardSilu(conv1.forward(x)));
        h = pool(norm2.forwardSilu(conv2.forward(h)));
        h = pool(norm3.forwardSilu(conv3.forward(h)));
        return features.forward(h.reshape(s[0], WIDTH * FRAMES / 8)).silu();
    }

    /** Digit logits [N, 10] from features [N, 64]. */
    public Variable logits(Variable features) { return head.forward(features); }

    /** Digit logits [N, 10] of inputs [N, 64, 120]. */
    public Variable forward(Variable x) { return logits(features(x)); }

    /** Mean of neighbouring pairs along time: [N, C, L] to [N, C, L / 2]. */
    private static Variable pool(Variable h) {
        int[] s = h.shape();
        return h.reshape(s[0], s[1], s[2] / 2, 2).mean(false, 3);
    }
}
