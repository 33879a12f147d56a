package org.diffusion4j.experiments.train;

import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.diffusion.net.NoiseConditionalNetwork;
import org.diffusion4j.diffusion.objective.DenoisingObjective;
import org.diffusion4j.diffusion.sampler.SampleRequest;
import org.diffusion4j.diffusion.sampler.SampleResult;
import org.diffusion4j.diffusion.sampler.Sampler;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.io.ImageGrid;
import org.diffusion4j.experiments.run.RunFolder;
import org.diffusion4j.experiments.superres.LowResolution;
import org.diffusion4j.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The sample grids of a training run: sampling.count samples from the same standard-normal noises (drawn
 * from sampling.seed, sample i on Philox stream i) at every sampling step, so that successive grids differ
 * only by what the network learnt. The last grid also records the denoising trajectory strip.
 */
public final class RunSampling implements SampleWriter {
    private final TrainConfig config;
    private final TrainingSetup setup;
    private final RunFolder folder;
    private final int[] sampleShape;
    private final DenoisingObjective objective;
    private Conditioning prompted;
    private java.util.List<String> prompts;

    public RunSampling(TrainConfig config, TrainingSetup setup, RunFolder folder, int[] sampleShape, DenoisingObjective objective) {
        this.config = config;
        this.setup = setup;
        this.folder = folder;
        this.sampleShape = sampleShape.clone();
        this.objective = objective;
    }

    /**
     * A text-to-image run's grids: sample i drawn for prompts[i] (given as token ids in condition); the last grid also
     * writes the prompt/sample pairs the report shows.
     */
    public RunSampling withPrompts(java.util.List<String> prompts, Conditioning condition) {
        if (prompts.size() != config.sampling().count() || condition.batchSize() != prompts.size()) throw new IllegalArgumentException(
                prompts.size() + " prompts (" + condition + ") for sampling.count = " + config.sampling().count());
        this.prompts = java.util.List.copyOf(prompts);
        this.prompted = condition;
        return this;
    }

    /** The fixed noises z [count, ...]. */
    Tensor fixedNoise() {
        int[] shape = new int[sampleShape.length + 1];
        shape[0] = config.sampling().count();
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return Tensor.randn(setup.backend(), setup.dtype(), config.sampling().seed(), 0, shape);
    }

    /**
     * Labels 0, 1, ..., classes-1, 0, 1, ... for class-conditional runs; for super-resolution runs the low-resolution
     * copies of the first sampling.count test images; else no condition.
     */
    Conditioning condition() {
        if (prompted != null) return prompted;
        Conditioning c = Conditioning.NONE;
        int count = config.sampling().count();
        if (config.model().classConditional()) {
            int[] l = new int[count];
            for (int i = 0; i < l.length; i++) l[i] = i % config.model().classes();
            c = Conditioning.labels(l, config.model().classes());
        }
        int f = config.model().superResolution();
        if (f > 0) c = c.and(Conditioning.image(LowResolution.condition(setup.testImages(0, count), f)));
        return c;
    }

    @Override public void write(long step, NoiseConditionalNetwork network) {
        Denoiser denoiser = objective.denoiser(network).withCondition(condition());
        boolean last = step == config.training().steps();
        // All points of a 2-D set (a scatter needs them), the first four images of an image set.
        RecordingDenoiser recorder = last ? new RecordingDenoiser(denoiser, sampleShape.length == 1 ? Integer.MAX_VALUE : 4) : null;
        Sampler sampler = RunSamplers.forRun(config, setup, config.sampling().sampler(), config.sampling().steps(), Map.of());
        Tensor z = fixedNoise();
        SampleRequest request = new SampleRequest(setup.backend(), setup.dtype(), z.shape(), config.sampling().seed(), z);
        SampleResult result = sampler.sample(recorder != null ? recorder : denoiser, request);
        double[][] rows = rows(result.samples());
        try {
            ImageGrid.writePng(SamplePictures.of(rows, sampleShape), folder.sampleGrid(step));
            if (sampleShape.length == 2 && last) {      // waveforms: the last step's samples as WAV files too
                org.diffusion4j.experiments.audio.AudioPictures.writeWavs(rows, folder.samples(), "step-" + step);
            }
            if (prompts != null && last) {
                org.diffusion4j.experiments.texttoimage.PromptPairs.write(folder.samples(), prompts, rows, sampleShape);
            }
            if (recorder != null) {
                ImageGrid.writePng(SamplePictures.trajectory(recorder.evenlySpaced(8), sampleShape, rows), trajectoryFile(folder));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write samples of step " + step + ": " + e.getMessage(), e);
        }
    }

    public static Path trajectoryFile(RunFolder folder) { return folder.samples().resolve("trajectory.png"); }

    /** [N, ...] as N host rows. */
    public static double[][] rows(Tensor samples) {
        double[] flat = samples.contiguous().toDoubleArray();
        int n = samples.shape(0), per = flat.length / n;
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) rows[i] = java.util.Arrays.copyOfRange(flat, i * per, (i + 1) * per);
        return rows;
    }
}
