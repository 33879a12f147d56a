package org.diffusion4j.autograd;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Philox;
import org.diffusion4j.tensor.RandomKind;
import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.Tensor;

/** Reproducible test inputs generated on the host (so every backend sees the same numbers). */
public final class Inputs {
    private final Backend backend;
    private final DType dtype;

    public Inputs(Backend backend, DType dtype) {
        this.backend = backend;
        this.dtype = dtype;
    }

    /** Host values drawn uniformly from [lo, hi) by Philox with the given seed. */
    public static double[] uniform(long seed, int n, double lo, double hi) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = lo + (hi - lo) * Philox.element(RandomKind.UNIFORM, DType.F64, seed, 1, i);
        return d;
    }

    public static double[] normal(long seed, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = Philox.element(RandomKind.NORMAL, DType.F64, seed, 2, i);
        return d;
    }

    public Tensor randn(long seed, int... shape) { return Tensor.of(backend, dtype, normal(seed, (int) Shapes.numel(shape)), shape); }

    public Tensor uniform(long seed, double lo, double hi, int... shape) {
        return Tensor.of(backend, dtype, uniform(seed, (int) Shapes.numel(shape), lo, hi), shape);
    }

    /** Values with |x| in [margin, margin + 1) and random signs: away from kinks at 0. */
    public Tensor awayFromZero(long seed, double margin, int... shape) {
        int n = (int) Shapes.numel(shape);
        double[] mag = uniform(seed, n, margin, margin + 1), sign = uniform(seed + 1, n, -1, 1);
        for (int i = 0; i < n; i++) if (sign[i] < 0) mag[i] = -mag[i];
        return Tensor.of(backend, dtype, mag, shape);
    }

    public Tensor of(double[] data, int... shape) { return Tensor.of(backend, dtype, data, shape); }
}
