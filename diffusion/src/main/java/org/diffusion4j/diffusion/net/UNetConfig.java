package org.diffusion4j.diffusion.net;

import java.util.Arrays;

/**
 * The shape of a {@link UNet}: input channels, base width, per-level channel multipliers, residual blocks per level,
 * the levels (0-based) that carry self-attention, dropout, class count (0 for unconditional), GroupNorm groups, the
 * channels of a conditioning image concatenated to the input (0 for none; SR3's upsampled low-resolution image), and
 * the width of a context sequence read by cross-attention after every self-attention (0 for none) with its heads.
 * {@link #unetS(int)} is the reference "UNet-S" of the design notes.
 */
public record UNetConfig(int inChannels, int baseChannels, int[] multipliers, int resBlocksPerLevel, int[] attentionLevels,
                         double dropout, int classes, int groups, int conditionChannels, int contextDim, int contextHeads) {
    /** Without a context sequence. */
    public UNetConfig(int inChannels, int baseChannels, int[] multipliers, int resBlocksPerLevel, int[] attentionLevels,
                      double dropout, int classes, int groups, int conditionChannels) {
        this(inChannels, baseChannels, multipliers, resBlocksPerLevel, attentionLevels, dropout, classes, groups, conditionChannels, 0, 1);
    }

    /** Without a conditioning image or a context sequence. */
    public UNetConfig(int inChannels, int baseChannels, int[] multipliers, int resBlocksPerLevel, int[] attentionLevels,
                      double dropout, int classes, int groups) {
        this(inChannels, baseChannels, multipliers, resBlocksPerLevel, attentionLevels, dropout, classes, groups, 0);
    }

    public UNetConfig {
        if (conditionChannels < 0) throw new IllegalArgumentException("condition channels must be >= 0, got " + conditionChannels);
        if (contextDim < 0) throw new IllegalArgumentException("the context width must be >= 0, got " + contextDim);
        if (contextHeads < 1) throw new IllegalArgumentException("cross-attention heads must be >= 1, got " + contextHeads);
        if (contextDim > 0) for (int m : multipliers) if ((baseChannels * m) % contextHeads != 0) throw new IllegalArgumentException(
                contextHeads + " cross-attention heads do not divide the " + baseChannels * m + " channels of a level");
        if (contextDim > 0 && attentionLevels.length == 0) throw new IllegalArgumentException("a context sequence is read by "
                + "cross-attention at the attention levels, but none is given");
        if (inChannels < 1) throw new IllegalArgumentException("input channels must be >= 1, got " + inChannels);
        if (baseChannels < 1) throw new IllegalArgumentException("base channels must be >= 1, got " + baseChannels);
        if (multipliers.length < 1) throw new IllegalArgumentException("need at least one channel multiplier");
        for (int m : multipliers) if (m < 1) throw new IllegalArgumentException("multipliers must be >= 1, got " + Arrays.toString(multipliers));
        if (resBlocksPerLevel < 1) throw new IllegalArgumentException("residual blocks per level must be >= 1, got " + resBlocksPerLevel);
        for (int a : attentionLevels) if (a < 0 || a >= multipliers.length) throw new IllegalArgumentException("attention level "
                + a + " is outside [0, " + (multipliers.length - 1) + "]");
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        if (classes < 0) throw new IllegalArgumentException("classes must be >= 0, got " + classes);
        for (int m : multipliers) if ((baseChannels * m) % groups != 0) throw new IllegalArgumentException("channel count "
                + baseChannels * m + " is not divisible into " + groups + " GroupNorm groups");
        multipliers = multipliers.clone();
        attentionLevels = attentionLevels.clone();
    }

    /** UNet-S: 64 channels, multipliers (1, 2, 2), 2 blocks per level, attention at level 1 (14x14), dropout 0.1, GN32. */
    public static UNetConfig unetS(int inChannels) {
        return new UNetConfig(inChannels, 64, new int[]{1, 2, 2}, 2, new int[]{1}, 0.1, 0, 32);
    }

    public UNetConfig withClasses(int count) {
        return new UNetConfig(inChannels, baseChannels, multipliers, resBlocksPerLevel, attentionLevels, dropout, count, groups,
                conditionChannels, contextDim, contextHeads);
    }

    /** The same shape taking a conditioning image of this many channels, concatenated to x_t (SR3). */
    public UNetConfig withConditionChannels(int channels) {
        return new UNetConfig(inChannels, baseChannels, multipliers, resBlocksPerLevel, attentionLevels, dropout, classes, groups,
                channels, contextDim, contextHeads);
    }

    /**
     * The same shape reading a context sequence of this width by cross-attention (with this many heads) after every
     * self-attention, and its pooled vector added to the time embedding (latent diffusion's and Imagen's text UNet).
     */
    public UNetConfig withContext(int width, int heads) {
        return new UNetConfig(inChannels, baseChannels, multipliers, resBlocksPerLevel, attentionLevels, dropout, classes, groups,
                conditionChannels, width, heads);
    }

    boolean attentionAt(int level) {
        for (int a : attentionLevels) if (a == level) return true;
        return false;
    }

    /** Width of the time embedding after its MLP: 4 x base channels (256 for UNet-S). */
    int timeWidth() { return 4 * baseChannels; }

    @Override public int[] multipliers() { return multipliers.clone(); }

    @Override public int[] attentionLevels() { return attentionLevels.clone(); }
}
