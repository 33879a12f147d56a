package org.diffusion4j.experiments.generators;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Conv2d;
import org.diffusion4j.nn.GroupNorm;
import org.diffusion4j.nn.Linear;
import org.diffusion4j.nn.Module;

/**
 * The DCGAN generator for 28 x 28 images (Radford et al. 2016, Sec. 3), also the VAE's image decoder:
 * z [N, latent] -> Linear(latent, 2w * 49) -> [2w, 7, 7] -> GN, ReLU -> nearest x2, Conv3x3 (2w -> w) -> GN, ReLU ->
 * nearest x2, Conv3x3 (w -> w) -> GN, ReLU -> Conv3x3 (w -> C) -> [N, C, 28, 28], then tanh for a GAN (images in
 * [-1, 1]) or nothing (a VAE's Bernoulli logits). Nearest upsampling followed by a convolution replaces DCGAN's
 * transposed convolutions (Odena et al. 2016, "Deconvolution and checkerboard artifacts"); GroupNorm with 8 groups
 * replaces its batch norm (the engine has none).
 */
public final class ConvDecoder extends Module implements FeedForward {
    private static final int GROUPS = 8;
    private final Linear project;
    private final GroupNorm norm0, norm1, norm2;
    private final Conv2d conv1, conv2, out;
    private final int latent, width;
    private final boolean tanh;

    public ConvDecoder(int latent, int width, int channels, boolean tanh) {
        if (latent < 1 || channels < 1) throw new IllegalArgumentException("ConvDecoder needs latent and channels >= 1, got "
                + latent + ", " + channels);
        if (width < GROUPS || width % GROUPS != 0) throw new IllegalArgumentException("ConvDecoder width must be a positive "
                + "multiple of " + GROUPS + " (GroupNorm with " + GROUPS + " groups), got " + width);
        this.latent = latent;
        this.width = width;
        this.tanh = tanh;
        this.project = register("project", new Linear(latent, 2 * width * 7 * 7));
        this.norm0 = register("norm0", new GroupNorm(GROUPS, 2 * width));
        this.conv1 = register("conv1", new Conv2d(2 * width, width, 3, 1, 1));
        this.norm1 = register("norm1", new GroupNorm(GROUPS, width));
        this.conv2 = register("conv2", new Conv2d(width, width, 3, 1, 1));
        this.norm2 = register("norm2", new GroupNorm(GROUPS, width));
        this.out = register("out", new Conv2d(width, channels, 3, 1, 1));
    }

    @Override public Variable forward(Variable z, boolean frozen) {
        if (z.rank() != 2 || z.shape(1) != latent) throw new IllegalArgumentException("ConvDecoder takes latents [N, "
                + latent + "], got " + java.util.Arrays.toString(z.shape()));
        Variable h = z.matmul(FeedForward.weight(project.weight(), frozen).transpose(0, 1))
                .add(FeedForward.weight(project.bias(), frozen)).reshape(z.shape(0), 2 * width, 7, 7);
        h = norm(norm0, h, frozen).relu();
        h = norm(norm1, ConvEncoder.conv(conv1, Variable.upsampleNearest2d(h, 2), frozen), frozen).relu();
        h = norm(norm2, ConvEncoder.conv(conv2, Variable.upsampleNearest2d(h, 2), frozen), frozen).relu();
        h = ConvEncoder.conv(out, h, frozen);
        return tanh ? h.tanh() : h;
    }

    private static Variable norm(GroupNorm n, Variable x, boolean frozen) {
        return Variable.groupNorm(x, FeedForward.weight(n.weight(), frozen), FeedForward.weight(n.bias(), frozen),
                n.groups(), 1e-5);
    }

    @Override public Module module() { return this; }
}
