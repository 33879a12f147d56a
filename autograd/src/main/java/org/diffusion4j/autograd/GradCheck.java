package org.diffusion4j.autograd;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Philox;
import org.diffusion4j.tensor.RandomKind;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.Tensor;

import java.util.function.Function;

/**
 * Checks analytic gradients against central differences in F64.
 *
 * <p>The function's output y is reduced to the scalar L = sum(y * r) with a fixed random probe r, so one
 * backward pass gives every input's gradient dL/dx = J^T r. Each input element is then perturbed by +-h
 * and (L(x + h e) - L(x - h e)) / 2h compared with the analytic value. The error of one element is
 * |analytic - numeric| / max(1, |numeric|): relative for large gradients, absolute for small ones.
 *
 * <p>F32 inputs are cast to F64 first (on their backend when it supports F64, otherwise the check fails
 * naming the backend), because F32 central differences cannot reach a meaningful tolerance.
 */
public final class GradCheck {
    /** Default step: balances truncation error O(h^2) and rounding error O(eps / h) in F64. */
    public static final double DEFAULT_STEP = 1e-6;
    /** Default tolerance on the mixed relative/absolute error. */
    public static final double DEFAULT_TOLERANCE = 1e-6;

    private GradCheck() { }

    /** Result: the largest error, and where it occurred. */
    public record Report(double maxError, int input, long element, double analytic, double numeric) {
        @Override public String toString() {
            return String.format("max error %.3e at input %d element %d (analytic %.10g, numeric %.10g)",
                    maxError, input, element, analytic, numeric);
        }
    }

    /**
     * Asserts that the analytic gradient of f matches central differences within {@link #DEFAULT_TOLERANCE};
     * returns the largest error.
     */
    public static double check(Function<Variable[], Variable> f, Tensor... inputs) {
        return check(DEFAULT_TOLERANCE, f, inputs);
    }

    /** As {@link #check(Function, Tensor...)} with an explicit tolerance; throws AssertionError when exceeded. */
    public static double check(double tolerance, Function<Variable[], Variable> f, Tensor... inputs) {
        Report r = compare(DEFAULT_STEP, f, inputs);
        if (!(r.maxError() <= tolerance)) throw new AssertionError("gradcheck failed: " + r + ", tolerance " + tolerance);
        return r.maxError();
    }

    /** Computes the comparison without asserting. */
    public static Report compare(double step, Function<Variable[], Variable> f, Tensor... inputs) {
        if (inputs.length == 0) throw new IllegalArgumentException("gradcheck: no inputs");
        Tensor[] x = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) x[i] = toF64(inputs[i], i);

        Variable[] vars = new Variable[x.length];
        for (int i = 0; i < x.length; i++) vars[i] = Variable.parameter(x[i]);
        Variable y = f.apply(vars);
        if (y.dtype() != DType.F64) throw new IllegalStateException("gradcheck: the function returned " + y.dtype()
                + "; it must compute in the inputs' dtype F64");
        Tensor probe = probe(y.value());
        y.backward(probe);
        double[] probeHost = probe.toDoubleArray();

        Report worst = new Report(0, -1, -1, 0, 0);
        for (int i = 0; i < x.length; i++) {
            Tensor g = vars[i].grad();
            double[] analytic = g == null ? new double[(int) x[i].numel()] : g.toDoubleArray();
            double[] base = x[i].toDoubleArray();
            for (int e = 0; e < base.length; e++) {
                double numeric = (objective(f, x, i, base, e, step, probeHost) - objective(f, x, i, base, e, -step, probeHost))
                        / (2 * step);
                double err = Math.abs(analytic[e] - numeric) / Math.max(1.0, Math.abs(numeric));
                if (Double.isNaN(err)) err = Double.POSITIVE_INFINITY;
                if (err > worst.maxError() || worst.input() < 0) worst = new Report(err, i, e, analytic[e], numeric);
            }
        }
        return worst;
    }

    /** L(x with element e of input i shifted by delta), evaluated without a tape. */
    private static double objective(Function<Variable[], Variable> f, Tensor[] x, int i, double[] base, int e,
                                    double delta, double[] probe) {
        double[] shifted = base.clone();
        shifted[e] += delta;
        double[] y;
        try (NoGrad g = NoGrad.enter(); Scope s = Scope.open()) {   // frees the evaluation's device memory
            Variable[] vars = new Variable[x.length];
            for (int j = 0; j < x.length; j++) {
                vars[j] = Variable.constant(j == i ? Tensor.of(x[j].backend(), shifted, x[j].shape()) : x[j]);
            }
            y = f.apply(vars).value().toDoubleArray();
        }
        double sum = 0;
        for (int k = 0; k < y.length; k++) sum += y[k] * probe[k];
        return sum;
    }

    /** A fixed probe r with entries in [0.5, 1.5) (no zeros, so no output escapes the check). */
    private static Tensor probe(Tensor like) {
        double[] r = new double[(int) like.numel()];
        for (int k = 0; k < r.length; k++) r[k] = 0.5 + Philox.element(RandomKind.UNIFORM, DType.F64, 0x5EED, 7, k);
        return Tensor.of(like.backend(), r, like.shape());
    }

    private static Tensor toF64(Tensor t, int index) {
        if (t.dtype() == DType.F64) return t.contiguous();
        Backend b = t.backend();
        if (!b.supports(DType.F64)) throw new IllegalArgumentException("gradcheck: input " + index + " " + Shapes.str(t.shape())
                + " is " + t.dtype() + " on " + b.description() + ", which has no F64; move it to "
                + Backends.cpu().device() + " first");
        return t.cast(DType.F64);
    }
}
