package org.diffusion4j.kernels;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.Tensor;

import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Parity harness: the same inputs on the CPU reference backend and on OpenCL, outputs poisoned with NaN
 * before each kernel so unwritten elements show, and comparisons with a tolerance stated per dtype.
 */
final class Parity {
    private Parity() { }

    static final Backend CPU = Backends.cpu();

    static OpenClBackend cl() { return OpenClTestDevice.backend(); }

    /** Tolerance of single-step results (elementwise maps): |cl - cpu| <= tol * (1 + |cpu|). */
    static double tol(DType t) { return t == DType.F32 ? 1e-5 : 1e-12; }

    /** Tolerance of accumulations (sums, matmul, convolution, attention, norms). */
    static double accTol(DType t) { return t == DType.F32 ? 1e-4 : 1e-10; }

    /** One tensor on each backend holding identical values. */
    record Pair(Tensor cpu, Tensor cl) {
        Pair map(UnaryOperator<Tensor> f) { return new Pair(f.apply(cpu), f.apply(cl)); }
    }

    static double[] data(long seed, int n, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = lo + (hi - lo) * r.nextDouble();
        return d;
    }

    static Pair random(DType t, long seed, double lo, double hi, int... shape) {
        double[] d = data(seed, (int) Shapes.numel(shape), lo, hi);
        return new Pair(Tensor.of(CPU, t, d, shape), Tensor.of(cl(), t, d, shape));
    }

    static Pair random(DType t, long seed, int... shape) { return random(t, seed, -1, 1, shape); }

    /** Outputs of a shape on both backends, filled with NaN. */
    static Pair poisoned(DType t, int... shape) {
        return new Pair(Tensor.full(CPU, t, Double.NaN, shape), Tensor.full(cl(), t, Double.NaN, shape));
    }

    static void assertClose(String what, Pair p, double tol) { assertClose(what, p.cpu(), p.cl(), tol); }

    static void assertClose(String what, Tensor expected, Tensor actual, double tol) {
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        if (e.length != a.length) fail(what + ": " + e.length + " vs " + a.length + " elements");
        for (int i = 0; i < e.length; i++) {
            boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i])
                    : (e[i] == a[i] || Math.abs(a[i] - e[i]) <= tol * (1 + Math.abs(e[i])));
            if (!ok) fail(what + ": element " + i + " of shape " + Shapes.str(expected.shape()) + " is " + a[i]
                    + " on OpenCL, " + e[i] + " on the CPU (tolerance " + tol + " relative to 1 + |cpu|)");
        }
    }

    static void assertBitwise(String what, Tensor expected, Tensor actual) {
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (Double.doubleToRawLongBits(e[i]) != Double.doubleToRawLongBits(a[i]))
                fail(what + ": element " + i + " differs bitwise: " + a[i] + " vs " + e[i]);
        }
    }

    static DType[] dtypes() {
        return cl().supports(DType.F64) ? new DType[]{DType.F32, DType.F64} : new DType[]{DType.F32};
    }
}
