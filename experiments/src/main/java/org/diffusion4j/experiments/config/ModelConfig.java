package org.diffusion4j.experiments.config;

import java.util.List;

/**
 * The network. {@code unet-s} uses channels, multipliers, attentionLevels, resBlocks (the reference UNet of
 * DESIGN.md has 64, [1,2,2], [1], 2); {@code mlp} uses hidden, depth and embedding. Both use dropout and
 * classConditional (a learned class embedding with one extra "no class" entry for classifier-free guidance).
 * The baselines {@code gan} and {@code vae} (2-D data only; docs/generators.md) use hidden, depth, latent and ganLoss.
 * {@code diffwave} (waveforms, docs/audio.md) uses channels (residual channels C), depth (residual layers),
 * dilationCycle, hidden (width of the diffusion-step embedding) and classConditional.
 * {@code text-unet} (text-to-image, docs/text-to-image.md) is the UNet (channels, multipliers, attentionLevels, resBlocks,
 * dropout) with cross-attention to a transformer text encoder trained with it (textWidth, textDepth, textHeads,
 * crossHeads, captionLength); training.labelDropout is then its caption dropout.
 *
 * @param type            one of {@link #TYPES}
 * @param channels        base channel count of the UNet (a multiple of 32, for GroupNorm with 32 groups)
 * @param multipliers     channel multiplier per resolution level
 * @param attentionLevels levels (0 = full resolution) with self-attention after each ResBlock
 * @param resBlocks       ResBlocks per level on the down path
 * @param hidden          width of the MLP's hidden layers
 * @param depth           number of hidden layers of the MLP
 * @param embedding       width of the MLP's sinusoidal time embedding
 * @param dropout         dropout probability in training
 * @param classConditional whether the network takes a class label
 * @param classes         number of classes when class conditional
 * @param latent          gan and vae: the latent dimension (standard-normal latents)
 * @param ganLoss         gan: non-saturating or hinge ({@link org.diffusion4j.experiments.generators.GanLoss})
 * @param superResolution 0 for none, else an SR3 model (Saharia et al. 2021): the UNet also reads the image
 *                        downsampled by this factor (area averaging) and upsampled back (nearest), concatenated to x_t
 * @param dilationCycle   diffwave: residual layer i dilates by 2^(i mod dilationCycle)
 * @param textWidth       text-unet: the text encoder's width E (the context the UNet cross-attends to)
 * @param textDepth       text-unet: the text encoder's transformer blocks
 * @param textHeads       text-unet: the text encoder's attention heads
 * @param crossHeads      text-unet: the UNet's cross-attention heads
 * @param captionLength   text-unet: the longest caption in tokens; shorter ones are padded
 */
public record ModelConfig(String type, Integer channels, List<Integer> multipliers, List<Integer> attentionLevels,
                          Integer resBlocks, Integer hidden, Integer depth, Integer embedding, Double dropout,
                          Boolean classConditional, Integer classes, Integer superResolution, Integer latent,
                          String ganLoss, Integer dilationCycle, Integer textWidth, Integer textDepth, Integer textHeads,
                          Integer crossHeads, Integer captionLength) {
    public static final List<String> TYPES = List.of("unet-s", "mlp", "gan", "vae", "diffwave", "text-unet");

    public ModelConfig {
        if (type == null) type = "mlp";
        if (channels == null) channels = 64;
        multipliers = multipliers == null ? List.of(1, 2, 2) : List.copyOf(multipliers);
        attentionLevels = attentionLevels == null ? List.of(1) : List.copyOf(attentionLevels);
        if (resBlocks == null) resBlocks = 2;
        if (hidden == null) hidden = 128;
        if (depth == null) depth = 3;
        if (embedding == null) embedding = 32;
        if (dropout == null) dropout = 0.0;
        if (classConditional == null) classConditional = false;
        if (classes == null) classes = 10;
        if (superResolution == null) superResolution = 0;
        if (latent == null) latent = 2;
        if (ganLoss == null) ganLoss = "non-saturating";
        if (dilationCycle == null) dilationCycle = 10;
        if (textWidth == null) textWidth = 128;
        if (textDepth == null) textDepth = 2;
        if (textHeads == null) textHeads = 4;
        if (crossHeads == null) crossHeads = 4;
        if (captionLength == null) captionLength = 32;
    }

    /** Whether the network reads captions (a text encoder and a cross-attention UNet). */
    public boolean textConditional() { return type.equals("text-unet"); }

    /** Whether this is one of the baselines (gan, vae) rather than a diffusion network. */
    public boolean describesBaseline() { return type.equals("gan") || type.equals("vae"); }

    public static ModelConfig defaults() {
        return new ModelConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }
}
