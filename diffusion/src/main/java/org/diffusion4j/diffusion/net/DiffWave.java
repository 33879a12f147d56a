package org.diffusion4j.diffusion.net;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Conv1d;
import org.diffusion4j.nn.Linear;
import org.diffusion4j.nn.Module;
import org.diffusion4j.nn.SinusoidalEmbedding;
import org.diffusion4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A DiffWave network for waveforms [N, 1, L] (Kong et al. 2021, "DiffWave", section 3 and figure 2):
 * <ul>
 *   <li>input: a 1x1 convolution to C channels and ReLU;</li>
 *   <li>diffusion-step embedding: a 128-wide sinusoidal embedding of the noise condition (the project's
 *       {@link SinusoidalEmbedding}; DiffWave's own table uses the frequencies 10^(4j/63) instead), then
 *       Linear(128, E), SiLU, Linear(E, E), SiLU; a class-conditional network adds a learned label embedding
 *       (a bias-free Linear on the one-hot label, as the UNet does) to it;</li>
 *   <li>each residual layer i: h + Linear(E, C)(embedding) broadcast over time, a width-3 convolution to 2C channels
 *       dilated by 2^(i mod cycle), the gated unit tanh(first C) * sigmoid(last C) (van den Oord et al. 2016), a 1x1
 *       convolution to 2C split into a residual (added to h, the sum scaled by 1/sqrt 2) and a skip;</li>
 *   <li>output: the sum of the skips over sqrt(layers), a 1x1 convolution, ReLU, and a zero-initialised 1x1
 *       convolution to one channel (so the untrained network predicts 0).</li>
 * </ul>
 */
public final class DiffWave extends Module implements NoiseConditionalNetwork {
    static final int SINUSOID = 128;

    private final DiffWaveConfig config;
    private final SinusoidalEmbedding sinusoid;
    private final Linear stepIn, stepOut, classEmbedding;
    private final Conv1d input, skipProjection, output;
    private final List<ResidualLayer> residualLayers = new ArrayList<>();

    /** One residual layer: step projection, dilated convolution, gate, output projection. */
    static final class ResidualLayer extends Module {
        final int channels;
        final Linear step;
        final Conv1d dilated, projection;

        ResidualLayer(int channels, int stepWidth, int dilation) {
            this.channels = channels;
            this.step = register("step", new Linear(stepWidth, channels));
            this.dilated = register("dilated", new Conv1d(channels, 2 * channels, 3, dilation));
            this.projection = register("projection", new Conv1d(channels, 2 * channels, 1, 1));
        }

        /** The new residual stream and this layer's skip output. */
        Variable[] forward(Variable h, Variable embedding) {
            Variable y = dilated.forward(h.add(step.forward(embedding).unsqueeze(2)));
            Variable gated = y.narrow(1, 0, channels).tanh().mul(y.narrow(1, channels, channels).sigmoid());
            Variable out = projection.forward(gated);
            Variable residual = h.add(out.narrow(1, 0, channels)).mul(1 / Math.sqrt(2));
            return new Variable[]{residual, out.narrow(1, channels, channels)};
        }
    }

    public DiffWave(DiffWaveConfig config) {
        this.config = config;
        int c = config.residualChannels(), e = config.stepWidth();
        this.sinusoid = register("step_sinusoid", new SinusoidalEmbedding(SINUSOID));
        this.stepIn = register("step_in", new Linear(SINUSOID, e));
        this.stepOut = register("step_out", new Linear(e, e));
        this.classEmbedding = config.classes() > 0 ? register("class_embedding", new Linear(config.classes(), e, false)) : null;
        this.input = register("input", new Conv1d(1, c, 1, 1));
        Container layers = register("layers", new Container());
        for (int i = 0; i < config.layers(); i++) residualLayers.add(layers.add(new ResidualLayer(c, e, 1 << (i % config.dilationCycle()))));
        this.skipProjection = register("skip_projection", new Conv1d(c, c, 1, 1));
        this.output = register("output", Conv1d.zeroInitialised(c, 1));
    }

    public DiffWaveConfig config() { return config; }

    @Override public Module module() { return this; }

    @Override public Variable forward(Variable x, Tensor noiseCondition, Conditioning condition) {
        if (x.rank() != 3 || x.shape(1) != 1) throw new IllegalArgumentException("DiffWave expects waveforms [N, 1, L], got "
                + Arrays.toString(x.shape()));
        int n = x.shape(0);
        if (noiseCondition.rank() != 1 || noiseCondition.shape(0) != n) throw new IllegalArgumentException("DiffWave: noise "
                + "condition must be [" + n + "], got " + Arrays.toString(noiseCondition.shape()));
        Conditioning c = Conditioning.orNone(condition);
        if (c.context() != null || c.image() != null) throw new IllegalArgumentException("DiffWave reads class labels only, got " + c);
        Variable embedding = stepOut.forward(stepIn.forward(sinusoid.forward(Variable.constant(noiseCondition))).silu()).silu();
        if (c.hasLabels()) {
            if (classEmbedding == null) throw new IllegalArgumentException("DiffWave: got class labels but the config has no classes");
            embedding = embedding.add(classEmbedding.forward(Variable.constant(oneHot(c.labels(), n, x))));
        }
        Variable h = input.forward(x).relu(), skips = null;
        for (ResidualLayer layer : residualLayers) {
            Variable[] out = layer.forward(h, embedding);
            h = out[0];
            skips = skips == null ? out[1] : skips.add(out[1]);
        }
        return output.forward(skipProjection.forward(skips.mul(1 / Math.sqrt(residualLayers.size()))).relu());
    }

    private Tensor oneHot(int[] labels, int n, Variable x) {
        if (labels.length != n) throw new IllegalArgumentException("DiffWave: " + labels.length + " labels for a batch of " + n);
        int k = config.classes();
        double[] d = new double[n * k];
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= k) throw new IllegalArgumentException("DiffWave: label " + labels[i] + " is outside [0, " + k + ")");
            d[i * k + labels[i]] = 1;
        }
        return Tensor.of(x.backend(), x.dtype(), d, n, k);
    }
}
