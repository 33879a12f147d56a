package org.diffusion4j.optim;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay,
 * with PyTorch's update rule: g += wd * p; b = g on the first step, else b = mu * b + (1 - dampening) * g;
 * g = nesterov ? g + mu * b : b; p -= lr * g.
 */
public final class Sgd extends Optimizer {
    private final double momentum, dampening, weightDecay;
    private final boolean nesterov;

    public Sgd(Map<String, ? extends Variable> named, double lr) { this(named, lr, 0, 0, 0, false); }

    public Sgd(Map<String, ? extends Variable> named, double lr, double momentum, double dampening, double weightDecay,
               boolean nesterov) {
        super(named, lr);
        if (momentum < 0) throw new IllegalArgumentException("Sgd: momentum must be >= 0, got " + momentum);
        if (weightDecay < 0) throw new IllegalArgumentException("Sgd: weight decay must be >= 0, got " + weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0)) throw new IllegalArgumentException(
                "Sgd: Nesterov momentum needs momentum > 0 and dampening 0, got " + momentum + " and " + dampening);
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    public Sgd(List<? extends Variable> params, double lr, double momentum) { this(byIndex(params), lr, momentum, 0, 0, false); }

    @Override protected Tensor update(String name, Tensor p, Tensor g, long t) {
        if (weightDecay != 0) g = Tensor.linearCombination(1.0, g, weightDecay, p, 0, null);
        if (momentum != 0) {
            Tensor b = slot(name, "momentum_buffer");
            b = b == null ? g.copy() : Tensor.linearCombination(momentum, b, 1.0 - dampening, g, 0, null);
            setSlot(name, "momentum_buffer", b);
            g = nesterov ? Tensor.linearCombination(1.0, g, momentum, b, 0, null) : b;
        }
        return Tensor.linearCombination(1.0, p, -learningRate(), g, 0, null);
    }

    @Override protected List<String> slotNames() { return List.of("momentum_buffer"); }
}
