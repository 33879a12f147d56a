package org.diffusion4j.experiments.generators;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Conv2d;
import org.diffusion4j.nn.Linear;
import org.diffusion4j.nn.Module;

import java.util.Arrays;

/**
 * The DCGAN discriminator for 28 x 28 images (Radford et al. 2016, Sec. 3), also the VAE's image encoder:
 * [N, C, 28, 28] -> Conv4x4 stride 2 (C -> w) -> leaky ReLU 0.2 -> [w, 14, 14] -> Conv4x4 stride 2 (w -> 2w) ->
 * leaky ReLU 0.2 -> [2w, 7, 7] -> flatten -> Linear(2w * 49, out). Strided convolutions instead of pooling, leaky
 * ReLU, as DCGAN; no batch norm (the engine has none; without it the critic also suits a gradient penalty,
 * Gulrajani et al. 2017, Sec. 4).
 */
public final class ConvEncoder extends Module implements FeedForward {
    private static final double SLOPE = 0.2;
    private final Conv2d conv1, conv2;
    private final Linear head;
    private final int channels;

    public ConvEncoder(int channels, int width, int out) {
        if (channels < 1 || width < 1 || out < 1) throw new IllegalArgumentException("ConvEncoder needs channels, width "
                + "and out >= 1, got " + channels + ", " + width + ", " + out);
        this.channels = channels;
        this.conv1 = register("conv1", new Conv2d(channels, width, 4, 2, 1));
        this.conv2 = register("conv2", new Conv2d(width, 2 * width, 4, 2, 1));
        this.head = register("head", new Linear(2 * width * 7 * 7, out));
    }

    @Override public Variable forward(Variable x, boolean frozen) {
        if (x.rank() != 4 || x.shape(1) != channels || x.shape(2) != 28 || x.shape(3) != 28) {
            throw new IllegalArgumentException("ConvEncoder takes images [N, " + channels + ", 28, 28], got "
                    + Arrays.toString(x.shape()));
        }
        Variable h = Activations.leakyRelu(conv(conv1, x, frozen), SLOPE);
        h = Activations.leakyRelu(conv(conv2, h, frozen), SLOPE);
        h = h.reshape(h.shape(0), -1);
        return h.matmul(FeedForward.weight(head.weight(), frozen).transpose(0, 1)).add(FeedForward.weight(head.bias(), frozen));
    }

    static Variable conv(Conv2d c, Variable x, boolean frozen) {
        return Variable.conv2d(x, FeedForward.weight(c.weight(), frozen), FeedForward.weight(c.bias(), frozen), c.spec());
    }

    @Override public Module module() { return this; }
}
