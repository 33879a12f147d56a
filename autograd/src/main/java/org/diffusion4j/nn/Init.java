package org.diffusion4j.nn;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

/**
 * The seed stream that layer constructors draw their initial weights from, so that building a model is
 * reproducible: the k-th parameter tensor created under seed s is filled from Philox with key s and stream
 * k (one row), whatever its shape. Open a seeded scope around model construction:
 *
 * <pre>{@code
 * try (Init init = Init.seeded(42)) { model = new UNet(config); }
 * }</pre>
 *
 * Outside any scope a thread-local default stream with seed 0 is used (deterministic in construction
 * order, but shared by everything built on the thread). Weights are created in F32 on the default backend
 * unless the scope says otherwise; move them with {@link Module#to} and {@link Module#cast}.
 */
public final class Init implements AutoCloseable {
    private static final ThreadLocal<Init> DEFAULT = ThreadLocal.withInitial(() -> new Init(0, null, DType.F32, null));
    private static final ThreadLocal<Init> CURRENT = new ThreadLocal<>();

    private final long seed;
    private final Backend backend;
    private final DType dtype;
    private final Init previous;
    private long nextStream;

    private Init(long seed, Backend backend, DType dtype, Init previous) {
        this.seed = seed;
        this.backend = backend;
        this.dtype = dtype;
        this.previous = previous;
    }

    /** Opens a scope in which new parameters draw from seed, F32, on the default backend. */
    public static Init seeded(long seed) { return seeded(seed, null, DType.F32); }

    /** Opens a scope with an explicit backend (null: the default backend) and dtype for new parameters. */
    public static Init seeded(long seed, Backend backend, DType dtype) {
        Init s = new Init(seed, backend, dtype, CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    static Init current() {
        Init s = CURRENT.get();
        return s != null ? s : DEFAULT.get();
    }

    long seed() { return seed; }

    /** Number of parameter tensors drawn so far in this scope. */
    public long drawn() { return nextStream; }

    /** U(-bound, bound) of the given shape, from the next stream: the PyTorch default init for weights and biases. */
    static Tensor uniform(double bound, int... shape) {
        Init s = current();
        Backend b = s.backend != null ? s.backend : Backends.defaultBackend();
        Tensor u = Tensor.rand(b, s.dtype, s.seed, s.nextStream++, (int) org.diffusion4j.tensor.Shapes.numel(shape));
        return u.affine(2 * bound, -bound).reshape(shape);
    }

    /** A constant-filled tensor of the scope's dtype and backend (GroupNorm's gamma and beta). */
    static Tensor full(double value, int... shape) {
        Init s = current();
        Backend b = s.backend != null ? s.backend : Backends.defaultBackend();
        return Tensor.full(b, s.dtype, value, shape);
    }

    @Override public void close() {
        if (CURRENT.get() != this) throw new IllegalStateException("Init scopes must be closed innermost first");
        if (previous == null) CURRENT.remove(); else CURRENT.set(previous);
    }
}
