package org.diffusion4j.experiments.train;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Dropout;
import org.diffusion4j.nn.Linear;
import org.diffusion4j.nn.Module;
import org.diffusion4j.nn.SinusoidalEmbedding;
import org.diffusion4j.tensor.Tensor;

/**
 * A small network for low-dimensional data: h = SiLU(Linear([x, emb(t)])), then depth-1 blocks
 * h = SiLU(Linear(Dropout(h))) and a final Linear back to the data dimension. emb is the sinusoidal time
 * embedding of DESIGN.md. Unconditional (labels must be null).
 */
public final class MlpNetwork extends Module implements Network {
    private final int dim;
    private final SinusoidalEmbedding embedding;
    private final Linear[] hidden;
    private final Dropout dropout;
    private final Linear out;

    public MlpNetwork(int dim, int width, int depth, int embeddingDim, double dropoutP) {
        if (dim < 1 || width < 1 || depth < 1) throw new IllegalArgumentException("MlpNetwork needs dim, width, depth >= 1, got "
                + dim + ", " + width + ", " + depth);
        this.dim = dim;
        this.embedding = register("embedding", new SinusoidalEmbedding(embeddingDim));
        this.hidden = new Linear[depth];
        for (int i = 0; i < depth; i++) hidden[i] = register("hidden" + i, new Linear(i == 0 ? dim + embeddingDim : width, width));
        this.dropout = register("dropout", new Dropout(dropoutP));
        this.out = register("out", new Linear(width, dim));
    }

    @Override public Module module() { return this; }

    @Override public Variable forward(Variable x, Tensor time, int[] labels) {
        if (labels != null) throw new IllegalArgumentException("MlpNetwork is unconditional; labels must be null");
        if (x.rank() != 2 || x.shape(1) != dim) throw new IllegalArgumentException("MlpNetwork expects x of shape [B, " + dim
                + "], got " + java.util.Arrays.toString(x.shape()));
        Variable h = Variable.concat(1, x, embedding.forward(Variable.constant(time)));
        h = hidden[0].forward(h).silu();
        for (int i = 1; i < hidden.length; i++) h = hidden[i].forward(dropout.forward(h)).silu();
        return out.forward(h);
    }
}
