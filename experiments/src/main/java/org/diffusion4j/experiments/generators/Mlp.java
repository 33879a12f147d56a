package org.diffusion4j.experiments.generators;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Linear;
import org.diffusion4j.nn.Module;
import org.diffusion4j.tensor.Tensor;

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
public final class Mlp extends Module implements FeedForward {
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

    @Override public Variable forward(Variable x) { return forward(x, false); }

    @Override public Variable forward(Variable x, boolean frozen) {
        for (int i = 0; i < layers.size(); i++) {
            Linear l = layers.get(i);
            x = frozen ? x.matmul(Variable.constant(l.weight().value()).transpose(0, 1)).add(Variable.constant(l.bias().value()))
                    : l.forward(x);
            if (i < layers.size() - 1) x = Activations.leakyRelu(x, slope);
        }
        return x;
    }

    /**
     * The gradient of this network's output with respect to its input, grad_x f(x) [N, in], for an MLP with one output,
     * as Variables that depend on the weights, so that a loss on it (a gradient penalty) gets its gradient in the
     * weights by the ordinary backward pass. It is the chain rule written out in reverse (the tape cannot differentiate
     * its own backward rules): g = W_L, then per hidden layer g = (g * a'(h_l)) W_l. Exact for this piecewise-linear
     * network: the leaky ReLU's slope a'(h) is 1 or slope, constant in the weights away from h = 0 (a set of measure
     * zero), so its second derivative contributes nothing.
     */
    public Variable inputGradient(Variable x) {
        Linear last = layers.get(layers.size() - 1);
        if (last.weight().shape(0) != 1) throw new IllegalArgumentException("inputGradient needs an MLP with one output, "
                + "this one has " + last.weight().shape(0));
        List<Tensor> slopes = new ArrayList<>();
        Tensor h = x.value();
        for (int i = 0; i < layers.size() - 1; i++) {
            Linear l = layers.get(i);
            Tensor pre = h.matmul(l.weight().value().transpose(0, 1)).add(l.bias().value());
            slopes.add(pre.gt(0.0).affine(1 - slope, slope));          // a'(pre): 1 where pre > 0, slope elsewhere
            h = Activations.leakyRelu(Variable.constant(pre), slope).value();
        }
        Tensor ones = Tensor.ones(h.backend(), h.dtype(), x.shape(0), 1);
        Variable g = Variable.constant(ones).matmul(last.weight());       // [N, hidden]: df/dh_L
        for (int i = layers.size() - 2; i >= 0; i--) g = g.mul(slopes.get(i)).matmul(layers.get(i).weight());
        return g;
    }

    @Override public Module module() { return this; }

    /** The first layer's weight (its backend and dtype are the network's). */
    Linear firstLayer() { return layers.get(0); }
}
