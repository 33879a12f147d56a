package org.diffusion4j.experiments.train;

import org.diffusion4j.tensor.SeedMixing;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Philox;
import org.diffusion4j.tensor.RandomKind;
import org.diffusion4j.tensor.Tensor;

/**
 * The random numbers of one training step. Every draw is a pure function of (run seed, step, purpose,
 * sample index, element): the Philox key is the run seed, the step and the purpose's name mixed by
 * SplitMix64, and row r of a draw uses Philox stream r (Tensor.random's firstStream convention). So data
 * order, noise, timesteps and label dropout of step s are the same whether the run went straight to s or
 * was stopped and resumed, and sample r's draws do not depend on the batch size.
 */
public final class StepRandom {
    private final long seed;
    private final long step;

    public StepRandom(long seed, long step) {
        this.seed = seed;
        this.step = step;
    }

    public long step() { return step; }

    /** The Philox key of one purpose ("noise", "t", "labels", ...) at this step. */
    public long key(String purpose) { return key(seed, step, purpose); }

    /** The key of (seed, counter, purpose), for streams counted by something other than the step (epochs). */
    public static long key(long seed, long counter, String purpose) {
        return SeedMixing.key(seed, purpose, counter);
    }

    /** Standard normals of the given shape, row r from stream r. */
    public Tensor normal(String purpose, Backend backend, DType dtype, int... shape) {
        return Tensor.random(backend, dtype, RandomKind.NORMAL, key(purpose), 0, shape);
    }

    /** Uniforms in (0, 1) of the given shape, row r from stream r. */
    public Tensor uniform(String purpose, Backend backend, DType dtype, int... shape) {
        return Tensor.random(backend, dtype, RandomKind.UNIFORM, key(purpose), 0, shape);
    }

    /** n uniforms in (0, 1) on the host in double precision, element r from stream r. */
    public double[] hostUniforms(String purpose, int n) {
        double[] u = new double[n];
        long k = key(purpose);
        for (int r = 0; r < n; r++) u[r] = Philox.element(RandomKind.UNIFORM, DType.F64, k, r, 0);
        return u;
    }
}
