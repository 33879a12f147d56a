package org.diffusion4j.diffusion.net;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Dropout;
import org.diffusion4j.nn.Linear;
import org.diffusion4j.nn.Module;
import org.diffusion4j.nn.SinusoidalEmbedding;
import org.diffusion4j.tensor.Tensor;

/**
 * A small fully connected network for low-dimensional (e.g. 2D toy) data: the noise condition is embedded
 * sinusoidally (width embedDim, as the UNet's) and projected, then
 * h_0 = W_in x + W_t emb, h_{l+1} = W_l Dropout(SiLU(h_l)) + h_l (residual), out = W_out SiLU(h_L).
 * The output has x's shape; a parameterisation gives it meaning. Dropout (probability 0 unless given) acts in
 * training mode only.
 */
public final class MlpScoreNetwork extends Module implements NoiseConditionalNetwork {
    private final int dim;
    private final SinusoidalEmbedding embedding;
    private final Linear input, timeProjection, output;
    private final Linear[] hidden;
    private final Dropout dropout;

    public MlpScoreNetwork(int dim, int width, int layers, int embedDim) {
        this(dim, width, layers, embedDim, 0.0);
    }

    /** @param dropoutP the dropout probability before each hidden layer, in [0, 1) */
    public MlpScoreNetwork(int dim, int width, int layers, int embedDim, double dropoutP) {
        if (dim < 1) throw new IllegalArgumentException("data dimension must be >= 1, got " + dim);
        if (width < 1) throw new IllegalArgumentException("width must be >= 1, got " + width);
        if (layers < 0) throw new IllegalArgumentException("hidden layers must be >= 0, got " + layers);
        this.dim = dim;
        this.embedding = register("embedding", new SinusoidalEmbedding(embedDim));
        this.input = register("input", new Linear(dim, width));
        this.timeProjection = register("time", new Linear(embedDim, width));
        Container blocks = register("hidden", new Container());
        this.hidden = new Linear[layers];
        for (int i = 0; i < layers; i++) hidden[i] = blocks.add(new Linear(width, width));
        this.output = register("output", new Linear(width, dim));
        this.dropout = register("dropout", new Dropout(dropoutP));
    }

    /** A default for 2D toy data: width 128, 3 hidden layers, embedding 64. */
    public static MlpScoreNetwork forToyData(int dim) { return new MlpScoreNetwork(dim, 128, 3, 64); }

    @Override public Variable forward(Variable x, Tensor noiseCondition, Conditioning condition) {
        if (x.rank() != 2 || x.shape(1) != dim) throw new IllegalArgumentException("MlpScoreNetwork: expected x of shape [N, "
                + dim + "], got " + java.util.Arrays.toString(x.shape()));
        if (!Conditioning.orNone(condition).isNone()) throw new IllegalArgumentException("MlpScoreNetwork is unconditional but got "
                + condition);
        Variable h = input.forward(x).add(timeProjection.forward(embedding.forward(Variable.constant(noiseCondition))));
        for (Linear l : hidden) h = h.add(l.forward(dropout.forward(h.silu())));
        return output.forward(h.silu());
    }

    @Override public Module module() { return this; }
}
