package org.diffusion4j.diffusion.net;

/**
 * The shape of a {@link DiffWave} network.
 *
 * @param residualChannels C, the width of every residual layer (DiffWave: 64 for the vocoder, 256 for SC09)
 * @param layers           residual layers (DiffWave: 30 or 36)
 * @param dilationCycle    layer i dilates by 2^(i mod cycle) (DiffWave: 10 or 12)
 * @param stepWidth        width of the diffusion-step embedding after its MLP (DiffWave: 512)
 * @param classes          size of the label embedding including the "no class" label, or 0 for unconditional
 */
public record DiffWaveConfig(int residualChannels, int layers, int dilationCycle, int stepWidth, int classes) {
    public DiffWaveConfig {
        if (residualChannels < 1) throw new IllegalArgumentException("DiffWave residual channels must be >= 1, got " + residualChannels);
        if (layers < 1) throw new IllegalArgumentException("DiffWave layers must be >= 1, got " + layers);
        if (dilationCycle < 1 || dilationCycle > 20) throw new IllegalArgumentException("DiffWave dilation cycle must be in 1..20, got "
                + dilationCycle);
        if (stepWidth < 1) throw new IllegalArgumentException("DiffWave step embedding width must be >= 1, got " + stepWidth);
        if (classes < 0 || classes == 1) throw new IllegalArgumentException("DiffWave classes must be 0 (unconditional) or >= 2 "
                + "(labels and the \"no class\" label), got " + classes);
    }

    /** The receptive field in samples: 1 + 2 sum_i 2^(i mod cycle) for kernel width 3. */
    public long receptiveField() {
        long r = 1;
        for (int i = 0; i < layers; i++) r += 2L << (i % dilationCycle);
        return r;
    }
}
