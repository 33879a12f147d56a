package org.diffusion4j.experiments.generators;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Linear;
import org.diffusion4j.nn.Module;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain MLP: in -> hidden (x depth) -> out, leaky ReLU between layers, none after the last. Layers are PyTorch's
 * default-initialised {@link Linear}s, drawn from the enclosing Init scope.
 *
 * <p>{@link #forward(Variable, boolean)} with frozen = true reads the weights as constants: gradients flow through
 * the network to its input but not into its parameters. A GAN's generator loss goes through the discriminator this
 * way, so that one backward pass gives each player the gradient of its own loss only.
 */
public final class Mlp extends Module {
    private final List<Linear> layers = new ArrayList<>();
    private final double slope;

    public Mlp(int in, int hidden, int depth, int out, double slope) {
        if (depth < 1) throw new IllegalArgumentException("an MLP needs depth >= 1 hidden layers, got " + depth);
        this.slope = slope;
        int width = in;
        for (int i = 0; i < depth; i++) {
            layers.add(register(Integer.toString(i), new Linear(width, hidden)));
            width = hidden;
        }
        layers.add(register(Integer.toString(depth), new Linear(width, out)));
    }

    public Variable forward(Variable x) { return forward(x, false); }

    public Variable forward(Variable x, boolean frozen) {
        for (int i = 0; i < layers.size(); i++) {
            Linear l = layers.get(i);
            x = frozen ? x.matmul(Variable.constant(l.weight().value()).transpose(0, 1)).add(Variable.constant(l.bias().value()))
                    : l.forward(x);
            if (i < layers.size() - 1) x = Activations.leakyRelu(x, slope);
        }
        return x;
    }

    /** The first layer's weight (its backend and dtype are the network's). */
    Linear firstLayer() { return layers.get(0); }
}
