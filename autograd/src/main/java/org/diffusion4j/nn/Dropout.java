package org.diffusion4j.nn;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Tensor;

/**
 * Inverted dropout (Srivastava et al. 2014): in training, each element is kept with probability 1 - p and
 * scaled by 1 / (1 - p); in evaluation it is the identity. The mask comes from Philox: keep element e of
 * sample r when u(key, r, e) &gt;= p, with the key from {@link RandomState#keyFor} (seed, this layer's
 * name, the step counter, the call index within the step). So masks are reproducible, resumable, and
 * sample r's mask does not depend on the batch size.
 *
 * <p>Until {@link Module#setRandomState} attaches a run's state (which a training run should always do), the
 * layer uses a private state with seed 0 and the name "dropout#k", k counting Dropout constructions in this
 * JVM, so distinct layers draw distinct masks; its call counter gives each forward call a fresh mask.
 */
public final class Dropout extends Module implements UnaryModule {
    private final double p;
    private static final java.util.concurrent.atomic.AtomicLong CREATED = new java.util.concurrent.atomic.AtomicLong();
    private RandomState state = new RandomState(0);
    private String path = "dropout#" + CREATED.getAndIncrement();
    private long lastStep = -1, calls;

    public Dropout(double p) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("Dropout probability must be in [0, 1), got " + p);
        this.p = p;
    }

    public double p() { return p; }

    @Override protected void attachRandomState(RandomState state, String path) {
        this.state = state;
        this.path = path;
        this.lastStep = -1;
    }

    @Override public Variable forward(Variable x) {
        if (!isTraining() || p == 0) return x;
        if (state.step() != lastStep) {
            lastStep = state.step();
            calls = 0;
        }
        long key = state.keyFor(path, calls++);
        Tensor u = Tensor.rand(x.backend(), x.dtype(), key, 0, x.shape());
        Tensor mask = u.ge(p).mul(1.0 / (1.0 - p));
        return x.mul(Variable.constant(mask));
    }
}
