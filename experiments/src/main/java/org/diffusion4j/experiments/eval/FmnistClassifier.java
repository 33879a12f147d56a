package org.diffusion4j.experiments.eval;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Conv2d;
import org.diffusion4j.nn.GroupNorm;
import org.diffusion4j.nn.Linear;
import org.diffusion4j.nn.Module;

/**
 * The feature network of FD-FMNIST: a small CNN classifier for 28x28 Fashion-MNIST images in [-1, 1].
 *
 * <pre>
 *   [N,1,28,28] -> Conv3x3(1,16)  GN(4) SiLU  avgPool 2 -> [N,16,14,14]
 *               -> Conv3x3(16,32) GN(8) SiLU  avgPool 2 -> [N,32,7,7]
 *               -> Conv3x3(32,16) GN(4) SiLU  flatten   -> [N,784]
 *               -> Linear(784,128) SiLU                 -> [N,128]   the features
 *               -> Linear(128,10)                       -> [N,10]    class logits
 * </pre>
 *
 * The 128 penultimate activations play the role Inception-v3's pool3 features play in FID (Heusel et al.
 * 2017): FD-FMNIST, KID and precision/recall are computed on them, the classifier score on the softmax of
 * the logits. About 111k parameters (0.45 MB in F32); about 2.7 MFLOP per image forward, small
 * enough to train on two shared CPU cores.
 */
public final class FmnistClassifier extends Module {
    /** Width of the feature vector (the penultimate layer). */
    public static final int FEATURES = 128;
    public static final int CLASSES = 10;

    private final Conv2d conv1 = register("conv1", new Conv2d(1, 16, 3, 1, 1));
    private final GroupNorm norm1 = register("norm1", new GroupNorm(4, 16));
    private final Conv2d conv2 = register("conv2", new Conv2d(16, 32, 3, 1, 1));
    private final GroupNorm norm2 = register("norm2", new GroupNorm(8, 32));
    private final Conv2d conv3 = register("conv3", new Conv2d(32, 16, 3, 1, 1));
    private final GroupNorm norm3 = register("norm3", new GroupNorm(4, 16));
    private final Linear features = register("features", new Linear(16 * 7 * 7, FEATURES));
    private final Linear head = register("head", new Linear(FEATURES, CLASSES));

    /** The penultimate activations [N, 128] of images [N, 1, 28, 28]. */
    public Variable features(Variable images) {
        int[] s = images.shape();
        if (s.length != 4 || s[1] != 1 || s[2] != 28 || s[3] != 28) throw new IllegalArgumentException(
                "FmnistClassifier expects images of shape [N, 1, 28, 28], got " + java.util.Arrays.toString(s));
        Variable h = Variable.avgPool2d(norm1.forwardSilu(conv1.forward(images)), 2);
        h = Variable.avgPool2d(norm2.forwardSilu(conv2.forward(h)), 2);
        h = norm3.forwardSilu(conv3.forward(h));
        return features.forward(h.reshape(s[0], 16 * 7 * 7)).silu();
    }

    /** Class logits [N, 10] from features [N, 128]. */
    public Variable logits(Variable features) { return head.forward(features); }

    /** Class logits [N, 10] of images [N, 1, 28, 28]. */
    public Variable forward(Variable images) { return logits(features(images)); }
}
