package org.diffusion4j.experiments.generators;

import org.diffusion4j.diffusion.net.NoiseConditionalNetwork;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.io.ImageGrid;
import org.diffusion4j.experiments.run.RunFolder;
import org.diffusion4j.experiments.train.RunSampling;
import org.diffusion4j.experiments.train.SamplePictures;
import org.diffusion4j.experiments.train.SampleWriter;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The sample scatter (or image grid) of a baseline's training step: sampling.count samples from the same latents (sampling.seed) at
 * every sampling step, one network evaluation each, written where the diffusion runs write theirs.
 */
public final class GeneratorSamples implements SampleWriter {
    private final TrainConfig config;
    private final RunFolder folder;
    private final int[] sampleShape;

    /** sampleShape: [2] for points (a scatter plot), [1, 28, 28] for images (a grid). */
    public GeneratorSamples(TrainConfig config, RunFolder folder, int[] sampleShape) {
        this.config = config;
        this.folder = folder;
        this.sampleShape = sampleShape.clone();
    }

    @Override public void write(long step, NoiseConditionalNetwork network) {
        LatentGenerator g = (LatentGenerator) network;
        double[][] rows = RunSampling.rows(g.generate(config.sampling().count(), config.sampling().seed()));
        try {
            ImageGrid.writePng(SamplePictures.of(rows, sampleShape), folder.sampleGrid(step));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write samples of step " + step + ": " + e.getMessage(), e);
        }
    }
}
