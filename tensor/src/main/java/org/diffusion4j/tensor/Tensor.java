package org.diffusion4j.tensor;

import java.util.Arrays;

/**
 * An immutable handle over backend storage: shape, element strides, offset, dtype and device. Views
 * (reshape of contiguous data, permute, narrow, expand, squeeze, unsqueeze) share storage; every op
 * broadcasts its operands as NumPy does and returns a new tensor on the same backend.
 *
 * <p>Ops never mix backends or dtypes silently: use {@link #to(Backend)} and {@link #cast(DType)}.
 * New storages belong to the innermost open {@link Scope}.
 */
public final class Tensor {
    private final Backend backend;
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;

    private Tensor(Backend backend, Storage storage, int[] shape, int[] strides, int offset) {
        this.backend = backend;
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    // ================================================================================ accessors

    public Backend backend() { return backend; }

    public Device device() { return backend.device(); }

    public Storage storage() { return storage; }

    public DType dtype() { return storage.dtype(); }

    public int[] shape() { return shape.clone(); }

    public int shape(int axis) { return shape[Shapes.axis("shape", axis, shape.length)]; }

    public int[] strides() { return strides.clone(); }

    public int offset() { return offset; }

    public int rank() { return shape.length; }

    public long numel() { return Shapes.numel(shape); }

    public boolean isContiguous() { return Shapes.isContiguous(shape, strides); }

    /** The backend operand for this tensor. */
    public View view() { return new View(storage, shape, strides, offset); }

    @Override public String toString() {
        return "Tensor" + Arrays.toString(shape) + " " + dtype() + " on " + device();
    }

    // ================================================================================ creation

    /** A tensor with fresh, uninitialised storage. */
    public static Tensor empty(Backend backend, DType dtype, int... shape) {
        for (int d : shape) if (d < 0) throw new IllegalArgumentException("negative extent in shape " + Shapes.str(shape));
        if (!backend.supports(dtype)) throw new UnsupportedOperationException(dtype + " is not supported on " + backend.description());
        int[] strides = Shapes.contiguousStrides(shape);
        Storage st = backend.allocate(dtype, Math.max(1, Shapes.numel(shape)));
        Scope.register(st);
        return new Tensor(backend, st, shape.clone(), strides, 0);
    }

    public static Tensor full(Backend backend, DType dtype, double value, int... shape) {
        Tensor t = empty(backend, dtype, shape);
        backend.fill(t.view(), value);
        return t;
    }

    public static Tensor zeros(Backend backend, DType dtype, int... shape) { return full(backend, dtype, 0.0, shape); }

    public static Tensor ones(Backend backend, DType dtype, int... shape) { return full(backend, dtype, 1.0, shape); }

    public static Tensor zeros(DType dtype, int... shape) { return zeros(Backends.defaultBackend(), dtype, shape); }

    public static Tensor ones(DType dtype, int... shape) { return ones(Backends.defaultBackend(), dtype, shape); }

    public static Tensor scalar(Backend backend, DType dtype, double value) { return full(backend, dtype, value); }

    /** A tensor of the given shape holding a row-major copy of data (its length must match). */
    public static Tensor of(Backend backend, float[] data, int... shape) {
        checkLength(data.length, shape);
        Tensor t = empty(backend, DType.F32, shape);
        backend.write(t.storage, 0, data);
        return t;
    }

    public static Tensor of(Backend backend, double[] data, int... shape) {
        checkLength(data.length, shape);
        Tensor t = empty(backend, DType.F64, shape);
        backend.write(t.storage, 0, data);
        return t;
    }

    public static Tensor of(float[] data, int... shape) { return of(Backends.defaultBackend(), data, shape); }

    public static Tensor of(double[] data, int... shape) { return of(Backends.defaultBackend(), data, shape); }

    /** Host data converted to dtype. */
    public static Tensor of(Backend backend, DType dtype, double[] data, int... shape) {
        if (dtype == DType.F64) return of(backend, data, shape);
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
        return of(backend, f, shape);
    }

    private static void checkLength(int length, int[] shape) {
        if (length != Shapes.numel(shape)) throw new IllegalArgumentException("data of length " + length
                + " does not fill shape " + Shapes.str(shape) + " (" + Shapes.numel(shape) + " elements)");
    }

    /** 0, 1, ..., n-1. */
    public static Tensor arange(Backend backend, DType dtype, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = i;
        return of(backend, dtype, d, n);
    }

    /** n points from start to end inclusive, computed in double as start + i * (end - start) / (n - 1). */
    public static Tensor linspace(Backend backend, DType dtype, double start, double end, int n) {
        if (n < 1) throw new IllegalArgumentException("linspace needs n >= 1, got " + n);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = n == 1 ? start : start + i * (end - start) / (n - 1);
        if (n > 1) d[n - 1] = end;
        return of(backend, dtype, d, n);
    }

    /**
     * Philox draws: element e of row r (rows are the first axis; a 0-d or 1-d tensor is one row) is a pure
     * function of (seed, firstStream + r, e), so sample r's noise does not depend on the batch size.
     */
    public static Tensor random(Backend backend, DType dtype, RandomKind kind, long seed, long firstStream, int... shape) {
        Tensor t = empty(backend, dtype, shape);
        long rowLength = shape.length <= 1 ? Math.max(1, Shapes.numel(shape)) : Math.max(1, Shapes.numel(shape) / shape[0]);
        if (Shapes.numel(shape) > 0) backend.random(kind, t.view(), seed, firstStream, rowLength);
        return t;
    }

    public static Tensor randn(Backend backend, DType dtype, long seed, long firstStream, int... shape) {
        return random(backend, dtype, RandomKind.NORMAL, seed, firstStream, shape);
    }

    public static Tensor rand(Backend backend, DType dtype, long seed, long firstStream, int... shape) {
        return random(backend, dtype, RandomKind.UNIFORM, seed, firstStream, shape);
    }

    /** A tensor like this one (backend, dtype, shape), uninitialised. */
    public Tensor emptyLike() { return empty(backend, dtype(), shape); }

    public Tensor zerosLike() { return zeros(backend, dtype(), shape); }

    public Tensor fullLike(double value) { return full(backend, dtype(), value, shape); }

    // ================================================================================ host transfer

    /** Row-major copy as floats (converting from F64 if needed). Waits for pending work. */
    public float[] toFloatArray() {
        Object a = backend.read(view());
        if (a instanceof float[] f) return f;
        double[] d = (double[]) a;
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    /** Row-major copy as doubles. Waits for pending work. */
    public double[] toDoubleArray() {
        Object a = backend.read(view());
        if (a instanceof double[] d) return d;
        float[] f = (float[]) a;
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    /** The single element of a one-element tensor. */
    public double item() {
        if (numel() != 1) throw new IllegalStateException("item() needs a one-element tensor, got shape " + Shapes.str(shape));
        return toDoubleArray()[0];
    }

    /** The same values on another backend (a copy through the host; no-op when already there). */
    public Tensor to(Backend target) {
        if (target == backend) return this;
        Tensor t = empty(target, dtype(), shape);
        target.write(t.storage, 0, backend.read(view()));
        return t;
    }

    /** The same values in another dtype (this tensor itself when the dtype already matches). */
    public Tensor cast(DType dtype) {
        if (dtype == dtype()) return this;
        Tensor t = empty(backend, dtype, shape);
        backend.copy(view(), t.view());
        return t;
    }

    // ================================================================================ views

    private Tensor viewOf(int[] newShape, int[] newStrides, int newOffset) {
        return new Tensor(backend, storage, newShape, newStrides, newOffset);
    }

    /** A row-major contiguous tensor with the same values (this one when already contiguous). */
    public Tensor contiguous() {
        if (isContiguous()) return this;
        Tensor t = empty(backend, dtype(), shape);
        backend.copy(view(), t.view());
        return t;
    }

    /** An independent contiguous copy. */
    public Tensor copy() {
        Tensor t = empty(backend, dtype(), shape);
        backend.copy(view(), t.view());
        return t;
    }

    /**
     * The same elements in a new shape (one extent may be -1). A view when the data is contiguous,
     * otherwise a contiguous copy first.
     */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: only one -1 allowed in " + Shapes.str(newShape));
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("reshape: negative extent in " + Shapes.str(newShape));
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || numel() % known != 0) throw new IllegalArgumentException("reshape: cannot infer -1 in "
                    + Shapes.str(newShape) + " for " + numel() + " elements");
            s[infer] = (int) (numel() / known);
        }
        if (Shapes.numel(s) != numel()) throw new IllegalArgumentException("reshape: shape " + Shapes.str(shape)
                + " (" + numel() + " elements) cannot become " + Shapes.str(newShape));
        Tensor src = contiguous();
        return src.viewOf(s, Shapes.contiguousStrides(s), src.offset);
    }

    /** Flattens everything into one axis. */
    public Tensor flatten() { return reshape(-1); }

    /** Reorders the axes: result axis i is this tensor's axis order[i]. */
    public Tensor permute(int... order) {
        if (order.length != shape.length) throw new IllegalArgumentException("permute: order " + Arrays.toString(order)
                + " has " + order.length + " axes, tensor has rank " + shape.length);
        int[] ns = new int[order.length], nst = new int[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            int a = Shapes.axis("permute", order[i], shape.length);
            if (seen[a]) throw new IllegalArgumentException("permute: axis " + a + " repeated in " + Arrays.toString(order));
            seen[a] = true;
            ns[i] = shape[a];
            nst[i] = strides[a];
        }
        return viewOf(ns, nst, offset);
    }

    /** Swaps two axes. */
    public Tensor transpose(int a, int b) {
        int[] order = new int[shape.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        a = Shapes.axis("transpose", a, shape.length);
        b = Shapes.axis("transpose", b, shape.length);
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** Elements start, start+1, ..., start+length-1 along axis. */
    public Tensor narrow(int axis, int start, int length) {
        int a = Shapes.axis("narrow", axis, shape.length);
        if (start < 0 || length < 0 || start + length > shape[a]) throw new IllegalArgumentException("narrow: range ["
                + start + ", " + (start + length) + ") is outside axis " + a + " of extent " + shape[a]);
        int[] ns = shape.clone();
        ns[a] = length;
        return viewOf(ns, strides.clone(), offset + start * strides[a]);
    }

    /** Elements start, start+step, ... below end along axis (step &gt;= 1). */
    public Tensor slice(int axis, int start, int end, int step) {
        int a = Shapes.axis("slice", axis, shape.length);
        if (step < 1) throw new IllegalArgumentException("slice: step must be >= 1, got " + step);
        if (start < 0 || end > shape[a] || start > end) throw new IllegalArgumentException("slice: [" + start + ", " + end
                + ") is outside axis " + a + " of extent " + shape[a]);
        int[] ns = shape.clone(), nst = strides.clone();
        ns[a] = (end - start + step - 1) / step;
        nst[a] = strides[a] * step;
        return viewOf(ns, nst, offset + start * strides[a]);
    }

    /** Index i along axis, removing that axis. */
    public Tensor select(int axis, int index) { return narrow(axis, index, 1).squeeze(axis); }

    /** Repeats axes of extent 1 (and new leading axes) to the target shape without copying (stride 0). */
    public Tensor expand(int... target) {
        if (target.length < shape.length) throw new IllegalArgumentException("expand: cannot expand shape "
                + Shapes.str(shape) + " to fewer axes " + Shapes.str(target));
        int lead = target.length - shape.length;
        int[] nst = new int[target.length];
        for (int i = 0; i < target.length; i++) {
            if (i < lead) { nst[i] = 0; continue; }
            int d = shape[i - lead];
            if (d == target[i]) nst[i] = strides[i - lead];
            else if (d == 1) nst[i] = 0;
            else throw new IllegalArgumentException("expand: shape " + Shapes.str(shape) + " cannot expand to "
                    + Shapes.str(target) + ": axis " + i + " has extent " + d + " (only extent 1 expands)");
        }
        return viewOf(target.clone(), nst, offset);
    }

    /** Removes every axis of extent 1. */
    public Tensor squeeze() {
        int n = 0;
        for (int d : shape) if (d != 1) n++;
        int[] ns = new int[n], nst = new int[n];
        for (int i = 0, j = 0; i < shape.length; i++) if (shape[i] != 1) { ns[j] = shape[i]; nst[j++] = strides[i]; }
        return viewOf(ns, nst, offset);
    }

    /** Removes one axis, which must have extent 1. */
    public Tensor squeeze(int axis) {
        int a = Shapes.axis("squeeze", axis, shape.length);
        if (shape[a] != 1) throw new IllegalArgumentException("squeeze: axis " + a + " has extent " + shape[a] + ", not 1");
        int[] ns = new int[shape.length - 1], nst = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != a) { ns[j] = shape[i]; nst[j++] = strides[i]; }
        return viewOf(ns, nst, offset);
    }

    /** Inserts an axis of extent 1 at position axis (0..rank). */
    public Tensor unsqueeze(int axis) {
        int a = axis < 0 ? axis + shape.length + 1 : axis;
        if (a < 0 || a > shape.length) throw new IllegalArgumentException("unsqueeze: axis " + axis + " out of range for rank " + shape.length);
        int[] ns = new int[shape.length + 1], nst = new int[shape.length + 1];
        for (int i = 0, j = 0; i < ns.length; i++) {
            if (i == a) { ns[i] = 1; nst[i] = 1; } else { ns[i] = shape[j]; nst[i] = strides[j++]; }
        }
        return viewOf(ns, nst, offset);
    }

    /** Joins tensors of equal shape (except along axis) along axis. */
    public static Tensor concat(int axis, Tensor... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("concat: no tensors");
        Tensor first = parts[0];
        int a = Shapes.axis("concat", axis, first.rank());
        int total = 0;
        for (Tensor p : parts) {
            first.checkSame("concat", p);
            if (p.rank() != first.rank()) throw new IllegalArgumentException("concat: ranks differ: " + Shapes.str(first.shape) + " and " + Shapes.str(p.shape));
            for (int i = 0; i < p.rank(); i++) {
                if (i != a && p.shape[i] != first.shape[i]) throw new IllegalArgumentException("concat along axis " + a
                        + ": shapes " + Shapes.str(first.shape) + " and " + Shapes.str(p.shape) + " differ on axis " + i);
            }
            total += p.shape[a];
        }
        int[] ns = first.shape.clone();
        ns[a] = total;
        Tensor out = empty(first.backend, first.dtype(), ns);
        int at = 0;
        for (Tensor p : parts) {
            first.backend.copy(p.view(), out.narrow(a, at, p.shape[a]).view());
            at += p.shape[a];
        }
        return out;
    }

    /** Stacks tensors of identical shape along a new axis. */
    public static Tensor stack(int axis, Tensor... parts) {
        Tensor[] u = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) u[i] = parts[i].unsqueeze(axis);
        return concat(axis, u);
    }

    // ================================================================================ checks

    void checkSame(String op, Tensor other) {
        if (other.backend != backend) throw new IllegalArgumentException(op + ": operands live on different devices: "
                + device() + " and " + other.device() + " (move one with to(backend))");
        if (other.dtype() != dtype()) throw new IllegalArgumentException(op + ": operands have different dtypes: "
                + dtype() + " and " + other.dtype() + " (convert one with cast(dtype))");
    }

    private void requireRank(String op, int rank) {
        if (shape.length != rank) throw new IllegalArgumentException(op + ": expected a tensor of rank " + rank
                + ", got shape " + Shapes.str(shape));
    }

    // ================================================================================ elementwise

    private Tensor unary(UnaryOp op, double a, double b) {
        Tensor out = empty(backend, dtype(), shape);
        backend.unary(op, view(), out.view(), a, b);
        return out;
    }

    private Tensor binary(BinaryOp op, Tensor other) {
        checkSame(op.name().toLowerCase(), other);
        int[] s = Shapes.broadcast(op.name().toLowerCase(), shape, other.shape);
        Tensor out = empty(backend, dtype(), s);
        backend.binary(op, expand(s).view(), other.expand(s).view(), out.view());
        return out;
    }

    private Tensor scalarLike(double v) { return full(backend, dtype(), v); }

    public Tensor add(Tensor o) { return binary(BinaryOp.ADD, o); }

    public Tensor sub(Tensor o) { return binary(BinaryOp.SUB, o); }

    public Tensor mul(Tensor o) { return binary(BinaryOp.MUL, o); }

    public Tensor div(Tensor o) { return binary(BinaryOp.DIV, o); }

    public Tensor pow(Tensor o) { return binary(BinaryOp.POW, o); }

    public Tensor maximum(Tensor o) { return binary(BinaryOp.MAX, o); }

    public Tensor minimum(Tensor o) { return binary(BinaryOp.MIN, o); }

    public Tensor eq(Tensor o) { return binary(BinaryOp.EQ, o); }

    public Tensor ne(Tensor o) { return binary(BinaryOp.NE, o); }

    public Tensor lt(Tensor o) { return binary(BinaryOp.LT, o); }

    public Tensor le(Tensor o) { return binary(BinaryOp.LE, o); }

    public Tensor gt(Tensor o) { return binary(BinaryOp.GT, o); }

    public Tensor ge(Tensor o) { return binary(BinaryOp.GE, o); }

    public Tensor add(double s) { return unary(UnaryOp.AFFINE, 1.0, s); }

    public Tensor sub(double s) { return unary(UnaryOp.AFFINE, 1.0, -s); }

    public Tensor mul(double s) { return unary(UnaryOp.AFFINE, s, 0.0); }

    public Tensor div(double s) { return binary(BinaryOp.DIV, scalarLike(s)); }

    /** a * this + b in one pass. */
    public Tensor affine(double a, double b) { return unary(UnaryOp.AFFINE, a, b); }

    public Tensor pow(double p) { return unary(UnaryOp.POW, p, 0.0); }

    public Tensor maximum(double s) { return binary(BinaryOp.MAX, scalarLike(s)); }

    public Tensor minimum(double s) { return binary(BinaryOp.MIN, scalarLike(s)); }

    public Tensor gt(double s) { return binary(BinaryOp.GT, scalarLike(s)); }

    public Tensor lt(double s) { return binary(BinaryOp.LT, scalarLike(s)); }

    public Tensor ge(double s) { return binary(BinaryOp.GE, scalarLike(s)); }

    public Tensor le(double s) { return binary(BinaryOp.LE, scalarLike(s)); }

    public Tensor eq(double s) { return binary(BinaryOp.EQ, scalarLike(s)); }

    public Tensor neg() { return unary(UnaryOp.NEG, 0, 0); }

    public Tensor abs() { return unary(UnaryOp.ABS, 0, 0); }

    public Tensor square() { return unary(UnaryOp.SQUARE, 0, 0); }

    public Tensor sqrt() { return unary(UnaryOp.SQRT, 0, 0); }

    public Tensor rsqrt() { return unary(UnaryOp.RSQRT, 0, 0); }

    public Tensor reciprocal() { return unary(UnaryOp.RECIPROCAL, 0, 0); }

    public Tensor exp() { return unary(UnaryOp.EXP, 0, 0); }

    public Tensor log() { return unary(UnaryOp.LOG, 0, 0); }

    public Tensor sin() { return unary(UnaryOp.SIN, 0, 0); }

    public Tensor cos() { return unary(UnaryOp.COS, 0, 0); }

    public Tensor tanh() { return unary(UnaryOp.TANH, 0, 0); }

    public Tensor sigmoid() { return unary(UnaryOp.SIGMOID, 0, 0); }

    public Tensor silu() { return unary(UnaryOp.SILU, 0, 0); }

    public Tensor gelu() { return unary(UnaryOp.GELU, 0, 0); }

    public Tensor relu() { return unary(UnaryOp.RELU, 0, 0); }

    public Tensor sign() { return unary(UnaryOp.SIGN, 0, 0); }

    public Tensor clamp(double min, double max) {
        if (min > max) throw new IllegalArgumentException("clamp: min " + min + " > max " + max);
        return unary(UnaryOp.CLAMP, min, max);
    }

    /** cond != 0 ? x : y, broadcasting all three. */
    public static Tensor where(Tensor cond, Tensor x, Tensor y) {
        cond.checkSame("where", x);
        x.checkSame("where", y);
        int[] s = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape, x.shape), y.shape);
        Tensor out = empty(x.backend, x.dtype(), s);
        x.backend.where(cond.expand(s).view(), x.expand(s).view(), y.expand(s).view(), out.view());
        return out;
    }

    /** alpha * x + beta * y (+ gamma * z when z is not null), broadcast, in one fused pass. */
    public static Tensor linearCombination(double alpha, Tensor x, double beta, Tensor y, double gamma, Tensor z) {
        x.checkSame("linearCombination", y);
        int[] s = Shapes.broadcast("linearCombination", x.shape, y.shape);
        if (z != null) {
            x.checkSame("linearCombination", z);
            s = Shapes.broadcast("linearCombination", s, z.shape);
        }
        Tensor out = empty(x.backend, x.dtype(), s);
        x.backend.linearCombination(alpha, x.expand(s).view(), beta, y.expand(s).view(), gamma,
                z == null ? null : z.expand(s).view(), out.view());
        return out;
    }

    // ================================================================================ reductions

    private int[] reducedShape(String op, int[] axes) {
        int[] ks = shape.clone();
        if (axes.length == 0) { Arrays.fill(ks, 1); return ks; }
        boolean[] seen = new boolean[shape.length];
        for (int ax : axes) {
            int a = Shapes.axis(op, ax, shape.length);
            if (seen[a]) throw new IllegalArgumentException(op + ": axis " + ax + " given twice");
            seen[a] = true;
            ks[a] = 1;
        }
        return ks;
    }

    private Tensor reduce(ReduceOp op, boolean keepDim, int... axes) {
        String name = op.name().toLowerCase();
        if (numel() == 0) throw new IllegalArgumentException(name + ": cannot reduce an empty tensor of shape " + Shapes.str(shape));
        int[] ks = reducedShape(name, axes);
        Tensor out = empty(backend, dtype(), ks);
        backend.reduce(op, view(), out.view());
        return keepDim ? out : out.removeAxes(axes);
    }

    private Tensor removeAxes(int[] axes) {
        if (axes.length == 0) return reshape();
        boolean[] drop = new boolean[shape.length];
        for (int ax : axes) drop[Shapes.axis("reduce", ax, shape.length)] = true;
        int n = 0;
        for (boolean d : drop) if (!d) n++;
        int[] ns = new int[n];
        for (int i = 0, j = 0; i < shape.length; i++) if (!drop[i]) ns[j++] = shape[i];
        return reshape(ns);
    }

    /** Sum over the given axes (all when none are given). */
    public Tensor sum(boolean keepDim, int... axes) { return reduce(ReduceOp.SUM, keepDim, axes); }

    public Tensor mean(boolean keepDim, int... axes) { return reduce(ReduceOp.MEAN, keepDim, axes); }

    public Tensor max(boolean keepDim, int... axes) { return reduce(ReduceOp.MAX, keepDim, axes); }

    public Tensor min(boolean keepDim, int... axes) { return reduce(ReduceOp.MIN, keepDim, axes); }

    /** Sum of all elements, as a 0-d tensor. */
    public Tensor sum() { return sum(false); }

    public Tensor mean() { return mean(false); }

    /**
     * Variance over the given axes: mean((x - mean)^2) times n/(n - correction); correction 0 is the biased
     * (population) variance, 1 the unbiased sample variance.
     */
    public Tensor var(int correction, boolean keepDim, int... axes) {
        int[] ks = reducedShape("var", axes);
        long n = numel() / Math.max(1, Shapes.numel(ks));
        if (n - correction <= 0) throw new IllegalArgumentException("var: " + n + " elements with correction " + correction);
        Tensor centred = sub(mean(true, axes));
        Tensor v = centred.square().sum(keepDim, axes);
        return v.mul(1.0 / (n - correction));
    }

    /** Index of the first maximum along axis, as numbers of this dtype. */
    public Tensor argmax(int axis, boolean keepDim) {
        int a = Shapes.axis("argmax", axis, shape.length);
        int[] ks = shape.clone();
        ks[a] = 1;
        Tensor out = empty(backend, dtype(), ks);
        backend.argmax(view(), a, out.view());
        return keepDim ? out : out.squeeze(a);
    }

    /** Softmax along axis. */
    public Tensor softmax(int axis) { return softmaxImpl(axis, false); }

    public Tensor logSoftmax(int axis) { return softmaxImpl(axis, true); }

    private Tensor softmaxImpl(int axis, boolean log) {
        int a = Shapes.axis(log ? "logSoftmax" : "softmax", axis, shape.length);
        int last = shape.length - 1;
        Tensor src = (a == last ? this : transpose(a, last)).contiguous();
        Tensor out = empty(backend, dtype(), src.shape);
        backend.softmax(src.view(), out.view(), log);
        return a == last ? out : out.transpose(a, last).contiguous();
    }

    // ================================================================================ linear algebra

    /**
     * Matrix product with NumPy's matmul rules: rank-1 operands are promoted (and the added axis removed),
     * batch axes broadcast.
     */
    public Tensor matmul(Tensor b) {
        checkSame("matmul", b);
        if (rank() == 0 || b.rank() == 0) throw new IllegalArgumentException("matmul: operands must have rank >= 1, got "
                + Shapes.str(shape) + " and " + Shapes.str(b.shape));
        Tensor a2 = rank() == 1 ? unsqueeze(0) : this;
        Tensor b2 = b.rank() == 1 ? b.unsqueeze(1) : b;
        int m = a2.shape[a2.rank() - 2], k = a2.shape[a2.rank() - 1];
        int k2 = b2.shape[b2.rank() - 2], n = b2.shape[b2.rank() - 1];
        if (k != k2) throw new IllegalArgumentException("matmul: inner dimensions differ: " + Shapes.str(shape) + " @ "
                + Shapes.str(b.shape) + " (" + k + " != " + k2 + ")");
        int[] ba = Arrays.copyOf(a2.shape, a2.rank() - 2), bb = Arrays.copyOf(b2.shape, b2.rank() - 2);
        int[] batch = Shapes.broadcast("matmul batch axes", ba, bb);
        int[] sa = concatShape(batch, m, k), sb = concatShape(batch, k, n), so = concatShape(batch, m, n);
        Tensor out = empty(backend, dtype(), so);
        backend.matmul(a2.expand(sa).view(), b2.expand(sb).view(), out.view());
        Tensor r = out;
        if (rank() == 1) r = r.squeeze(r.rank() - 2);
        if (b.rank() == 1) r = r.squeeze(r.rank() - 1);
        return r;
    }

    /**
     * ((this @ b) + bias) + residual, then SiLU when {@code silu}, in one backend call ({@link Backend#matmulAdd}: the
     * GEMM's epilogue where the backend fuses it). Operands of rank &gt;= 2 with broadcast batch axes, as matmul; bias
     * and residual (either may be null) broadcast to the product's shape. The same values as matmul, add, add, silu.
     */
    public Tensor matmulAdd(Tensor b, Tensor bias, Tensor residual, boolean silu) {
        checkSame("matmulAdd", b);
        if (rank() < 2 || b.rank() < 2) throw new IllegalArgumentException("matmulAdd: operands must have rank >= 2, got "
                + Shapes.str(shape) + " and " + Shapes.str(b.shape));
        int m = shape[rank() - 2], k = shape[rank() - 1], k2 = b.shape[b.rank() - 2], n = b.shape[b.rank() - 1];
        if (k != k2) throw new IllegalArgumentException("matmulAdd: inner dimensions differ: " + Shapes.str(shape) + " @ "
                + Shapes.str(b.shape) + " (" + k + " != " + k2 + ")");
        int[] batch = Shapes.broadcast("matmulAdd batch axes", Arrays.copyOf(shape, rank() - 2), Arrays.copyOf(b.shape, b.rank() - 2));
        int[] so = concatShape(batch, m, n);
        Tensor out = empty(backend, dtype(), so);
        View bv = null, rv = null;
        if (bias != null) { checkSame("matmulAdd", bias); bv = bias.expand(so).view(); }
        if (residual != null) { checkSame("matmulAdd", residual); rv = residual.expand(so).view(); }
        backend.matmulAdd(expand(concatShape(batch, m, k)).view(), b.expand(concatShape(batch, k, n)).view(), bv, rv, silu, out.view());
        return out;
    }

    /**
     * Linear's forward: x [..., in] times weight [out, in] transposed, plus bias [out], then SiLU when {@code silu}, in
     * one backend call ({@link #matmulAdd}). Returns [..., out].
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias, boolean silu) {
        x.checkSame("linear", weight);
        if (x.rank() < 1 || weight.rank() != 2 || bias.rank() != 1 || x.shape[x.rank() - 1] != weight.shape[1]
                || bias.shape[0] != weight.shape[0]) throw new IllegalArgumentException("linear: input " + Shapes.str(x.shape)
                + ", weight " + Shapes.str(weight.shape) + " and bias " + Shapes.str(bias.shape)
                + " do not fit (expected [..., in], [out, in] and [out])");
        Tensor a = x.rank() == 1 ? x.unsqueeze(0) : x;
        Tensor out = a.matmulAdd(weight.transpose(0, 1), bias, null, silu);
        return x.rank() == 1 ? out.squeeze(0) : out;
    }

    private static int[] concatShape(int[] batch, int r, int c) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = r;
        s[batch.length + 1] = c;
        return s;
    }

    // ================================================================================ convolution, pooling

    /** Checks conv2d's operands and returns an empty output of the right shape. */
    private static Tensor conv2dShapeCheck(Tensor x, Tensor weight, Tensor bias, ConvSpec spec) {
        x.checkSame("conv2d", weight);
        if (bias != null) x.checkSame("conv2d", bias);
        x.requireRank("conv2d input", 4);
        weight.requireRank("conv2d weight", 4);
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        int o = weight.shape[0], kh = weight.shape[2], kw = weight.shape[3];
        int g = spec.groups();
        if (c % g != 0 || o % g != 0) throw new IllegalArgumentException("conv2d: " + c + " input and " + o
                + " output channels must both be divisible by groups=" + g);
        if (weight.shape[1] != c / g) throw new IllegalArgumentException("conv2d: weight " + Shapes.str(weight.shape)
                + " expects " + weight.shape[1] * g + " input channels, input " + Shapes.str(x.shape) + " has " + c);
        if (bias != null && (bias.rank() != 1 || bias.shape[0] != o)) throw new IllegalArgumentException("conv2d: bias "
                + Shapes.str(bias.shape) + " must have shape [" + o + "]");
        int oh = spec.outH(h, kh), ow = spec.outW(w, kw);
        if (oh < 1 || ow < 1) throw new IllegalArgumentException("conv2d: input " + Shapes.str(x.shape) + " is too small for kernel "
                + kh + "x" + kw + " with " + spec);
        return empty(x.backend, x.dtype(), n, o, oh, ow);
    }

    /** 2D convolution of x [N, C, H, W] with weight [O, C/groups, kh, kw] and optional bias [O]. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, ConvSpec spec) {
        Tensor out = conv2dShapeCheck(x, weight, bias, spec);
        x.backend.conv2d(x.contiguous().view(), weight.contiguous().view(), bias == null ? null : bias.contiguous().view(),
                out.view(), spec);
        return out;
    }

    /**
     * conv2d(x, weight, bias) + sampleBias [N, O] broadcast over H, W + residual (out's shape); sampleBias and residual
     * may be null. The same numbers as the convolution followed by the two additions (Backend#conv2dAdd).
     */
    public static Tensor conv2dAdd(Tensor x, Tensor weight, Tensor bias, Tensor sampleBias, Tensor residual, ConvSpec spec) {
        Tensor out = conv2dShapeCheck(x, weight, bias, spec);
        int[] os = out.shape;
        if (sampleBias != null) {
            x.checkSame("conv2dAdd", sampleBias);
            if (sampleBias.rank() != 2 || sampleBias.shape[0] != os[0] || sampleBias.shape[1] != os[1]) throw new IllegalArgumentException(
                    "conv2dAdd: sampleBias " + Shapes.str(sampleBias.shape) + " must have shape [" + os[0] + ", " + os[1] + "]");
        }
        if (residual != null) {
            x.checkSame("conv2dAdd", residual);
            if (!Arrays.equals(residual.shape, os)) throw new IllegalArgumentException("conv2dAdd: residual "
                    + Shapes.str(residual.shape) + " must have the output's shape " + Shapes.str(os));
        }
        x.backend.conv2dAdd(x.contiguous().view(), weight.contiguous().view(), bias == null ? null : bias.contiguous().view(),
                sampleBias == null ? null : sampleBias.view(), residual == null ? null : residual.contiguous().view(), out.view(), spec);
        return out;
    }

    /** conv2d(concat(1, x1, x2), weight, bias) without the concatenation ({@link Backend#conv2dConcat}); no gradient. */
    public static Tensor conv2dConcat(Tensor x1, Tensor x2, Tensor weight, Tensor bias, ConvSpec spec) {
        int[] joined = checkChannelConcat("conv2dConcat", x1, x2);
        // the shape checks see a stand-in of the concatenation's shape (zero strides: never read)
        Tensor out = conv2dShapeCheck(x1.viewOf(joined, new int[joined.length], x1.offset), weight, bias, spec);
        x1.backend.conv2dConcat(x1.contiguous().view(), x2.contiguous().view(), weight.contiguous().view(),
                bias == null ? null : bias.contiguous().view(), out.view(), spec);
        return out;
    }

    /** GroupNorm (+ SiLU) of concat(1, x1, x2) without the concatenation ({@link Backend#groupNormConcat}); no statistics. */
    public static Tensor groupNormConcat(Tensor x1, Tensor x2, Tensor gamma, Tensor beta, int groups, double eps, boolean silu) {
        int[] joined = checkChannelConcat("groupNormConcat", x1, x2);
        if (groups < 1 || joined[1] % groups != 0) throw new IllegalArgumentException("groupNormConcat: " + joined[1]
                + " channels are not divisible into " + groups + " groups");
        for (Tensor p : new Tensor[]{gamma, beta}) {
            if (p != null && (p.rank() != 1 || p.shape[0] != joined[1])) throw new IllegalArgumentException("groupNormConcat: gamma and beta "
                    + "must have shape [" + joined[1] + "], got " + Shapes.str(p.shape));
        }
        Tensor out = empty(x1.backend, x1.dtype(), joined);
        x1.backend.groupNormConcat(x1.contiguous().view(), x2.contiguous().view(), gamma == null ? null : gamma.contiguous().view(),
                beta == null ? null : beta.contiguous().view(), groups, eps, silu, out.view());
        return out;
    }

    /** The shape of concat(1, x1, x2) for two [N, C, ...] tensors that agree on every axis but 1. */
    private static int[] checkChannelConcat(String op, Tensor x1, Tensor x2) {
        x1.checkSame(op, x2);
        int[] a = x1.shape, b = x2.shape;
        boolean fits = a.length >= 2 && a.length == b.length;
        for (int d = 0; fits && d < a.length; d++) fits = d == 1 || a[d] == b[d];
        if (!fits) throw new IllegalArgumentException(op + ": " + Shapes.str(a) + " and " + Shapes.str(b)
                + " cannot be concatenated along axis 1 (expected [N, C1, ...] and [N, C2, ...])");
        int[] joined = a.clone();
        joined[1] += b[1];
        return joined;
    }

    /** Gradient of conv2d with respect to its input, for an input of shape inputShape. */
    public static Tensor conv2dBackwardInput(Tensor gradOut, Tensor weight, int[] inputShape, ConvSpec spec) {
        gradOut.checkSame("conv2dBackwardInput", weight);
        Tensor gi = empty(gradOut.backend, gradOut.dtype(), inputShape);
        gradOut.backend.conv2dBackwardInput(gradOut.contiguous().view(), weight.contiguous().view(), gi.view(), spec);
        return gi;
    }

    /** Gradient of conv2d with respect to its weight, for a weight of shape weightShape. */
    public static Tensor conv2dBackwardWeight(Tensor x, Tensor gradOut, int[] weightShape, ConvSpec spec) {
        x.checkSame("conv2dBackwardWeight", gradOut);
        Tensor gw = empty(x.backend, x.dtype(), weightShape);
        x.backend.conv2dBackwardWeight(x.contiguous().view(), gradOut.contiguous().view(), gw.view(), spec);
        return gw;
    }

    /** k x k average pooling with stride k on [N, C, H, W]; H and W must be divisible by k. */
    public Tensor avgPool2d(int k) {
        requireRank("avgPool2d", 4);
        if (k < 1 || shape[2] % k != 0 || shape[3] % k != 0) throw new IllegalArgumentException("avgPool2d: window " + k
                + " must divide the spatial size " + shape[2] + "x" + shape[3]);
        Tensor out = empty(backend, dtype(), shape[0], shape[1], shape[2] / k, shape[3] / k);
        backend.avgPool2d(contiguous().view(), out.view(), k);
        return out;
    }

    public static Tensor avgPool2dBackward(Tensor gradOut, int k) {
        int[] s = gradOut.shape;
        Tensor gi = empty(gradOut.backend, gradOut.dtype(), s[0], s[1], s[2] * k, s[3] * k);
        gradOut.backend.avgPool2dBackward(gradOut.contiguous().view(), gi.view(), k);
        return gi;
    }

    /** Nearest-neighbour upsampling of [N, C, H, W] by an integer factor. */
    public Tensor upsampleNearest2d(int factor) {
        requireRank("upsampleNearest2d", 4);
        if (factor < 1) throw new IllegalArgumentException("upsampleNearest2d: factor must be >= 1, got " + factor);
        Tensor out = empty(backend, dtype(), shape[0], shape[1], shape[2] * factor, shape[3] * factor);
        backend.upsampleNearest2d(contiguous().view(), out.view(), factor);
        return out;
    }

    public static Tensor upsampleNearest2dBackward(Tensor gradOut, int factor) {
        int[] s = gradOut.shape;
        if (s[2] % factor != 0 || s[3] % factor != 0) throw new IllegalArgumentException("upsampleNearest2dBackward: "
                + Shapes.str(s) + " is not divisible by " + factor);
        Tensor gi = empty(gradOut.backend, gradOut.dtype(), s[0], s[1], s[2] / factor, s[3] / factor);
        gradOut.backend.upsampleNearest2dBackward(gradOut.contiguous().view(), gi.view(), factor);
        return gi;
    }

    // ================================================================================ normalisation

    /** Result of a group norm: the output and the per-(sample, group) statistics for backward. */
    public record GroupNormResult(Tensor out, Tensor mean, Tensor rstd) { }

    /**
     * Group normalisation of x [N, C, ...] in {@code groups} groups with optional affine gamma, beta [C],
     * then SiLU when silu is true.
     */
    public static GroupNormResult groupNorm(Tensor x, Tensor gamma, Tensor beta, int groups, double eps, boolean silu) {
        if (gamma != null) x.checkSame("groupNorm", gamma);
        if (beta != null) x.checkSame("groupNorm", beta);
        if (x.rank() < 2) throw new IllegalArgumentException("groupNorm: input must be [N, C, ...], got " + Shapes.str(x.shape));
        int n = x.shape[0], c = x.shape[1];
        if (groups < 1 || c % groups != 0) throw new IllegalArgumentException("groupNorm: " + c
                + " channels are not divisible into " + groups + " groups");
        for (Tensor p : new Tensor[]{gamma, beta}) {
            if (p != null && (p.rank() != 1 || p.shape[0] != c)) throw new IllegalArgumentException("groupNorm: affine parameter "
                    + Shapes.str(p.shape) + " must have shape [" + c + "]");
        }
        Tensor out = empty(x.backend, x.dtype(), x.shape);
        Tensor mean = empty(x.backend, x.dtype(), n, groups);
        Tensor rstd = empty(x.backend, x.dtype(), n, groups);
        x.backend.groupNorm(x.contiguous().view(), gamma == null ? null : gamma.contiguous().view(),
                beta == null ? null : beta.contiguous().view(), groups, eps, silu, out.view(), mean.view(), rstd.view());
        return new GroupNormResult(out, mean, rstd);
    }

    /** Gradients of group norm (without SiLU): input, gamma and beta (the last two null when gamma is null). */
    public record GroupNormGrads(Tensor input, Tensor gamma, Tensor beta) { }

    public static GroupNormGrads groupNormBackward(Tensor gradOut, Tensor x, Tensor gamma, Tensor mean, Tensor rstd, int groups) {
        Tensor gi = empty(x.backend, x.dtype(), x.shape);
        Tensor gg = gamma == null ? null : empty(x.backend, x.dtype(), gamma.shape);
        Tensor gb = gamma == null ? null : empty(x.backend, x.dtype(), gamma.shape);
        x.backend.groupNormBackward(gradOut.contiguous().view(), x.contiguous().view(),
                gamma == null ? null : gamma.contiguous().view(), mean.view(), rstd.view(), groups,
                gi.view(), gg == null ? null : gg.view(), gb == null ? null : gb.view());
        return new GroupNormGrads(gi, gg, gb);
    }

    // ================================================================================ attention

    /** Output and per-row log-sum-exp of scaled dot-product attention. */
    public record AttentionResult(Tensor out, Tensor logSumExp) { }

    /**
     * softmax(q k^T * scale + mask) v for q [B, L, D], k [B, S, D], v [B, S, E]; mask (additive) broadcasts
     * to [B, L, S] and may be null.
     */
    public static AttentionResult attention(Tensor q, Tensor k, Tensor v, Tensor mask, double scale) {
        q.checkSame("attention", k);
        q.checkSame("attention", v);
        q.requireRank("attention q", 3);
        k.requireRank("attention k", 3);
        v.requireRank("attention v", 3);
        int b = q.shape[0], l = q.shape[1], d = q.shape[2], s = k.shape[1], e = v.shape[2];
        if (k.shape[0] != b || v.shape[0] != b || k.shape[2] != d || v.shape[1] != s) throw new IllegalArgumentException(
                "attention: q " + Shapes.str(q.shape) + ", k " + Shapes.str(k.shape) + ", v " + Shapes.str(v.shape)
                        + " do not fit [B, L, D], [B, S, D], [B, S, E]");
        View m = null;
        if (mask != null) {
            q.checkSame("attention mask", mask);
            m = mask.expand(b, l, s).view();
            Shapes.broadcast("attention mask", mask.shape, new int[]{b, l, s});
        }
        Tensor out = empty(q.backend, q.dtype(), b, l, e);
        Tensor lse = empty(q.backend, q.dtype(), b, l);
        q.backend.attention(q.contiguous().view(), k.contiguous().view(), v.contiguous().view(), m, scale, out.view(), lse.view());
        return new AttentionResult(out, lse);
    }

    public record AttentionGrads(Tensor q, Tensor k, Tensor v) { }

    public static AttentionGrads attentionBackward(Tensor q, Tensor k, Tensor v, Tensor mask, double scale,
                                                   AttentionResult forward, Tensor gradOut) {
        View m = mask == null ? null : mask.expand(q.shape[0], q.shape[1], k.shape[1]).view();
        Tensor gq = q.emptyLike(), gk = k.emptyLike(), gv = v.emptyLike();
        q.backend.attentionBackward(q.contiguous().view(), k.contiguous().view(), v.contiguous().view(), m, scale,
                forward.out().view(), forward.logSumExp().view(), gradOut.contiguous().view(), gq.view(), gk.view(), gv.view());
        return new AttentionGrads(gq, gk, gv);
    }

    // ================================================================================ indexing

    /** Rows (or slices along axis) picked by indices. */
    public Tensor indexSelect(int axis, int... indices) {
        int a = Shapes.axis("indexSelect", axis, shape.length);
        for (int i : indices) if (i < 0 || i >= shape[a]) throw new IndexOutOfBoundsException("indexSelect: index " + i
                + " is outside axis " + a + " of extent " + shape[a]);
        int[] ns = shape.clone();
        ns[a] = indices.length;
        Tensor out = empty(backend, dtype(), ns);
        backend.indexSelect(view(), a, indices.clone(), out.view());
        return out;
    }

    /** Gradient of indexSelect: a tensor of targetShape with src's slices added at indices along axis. */
    public static Tensor indexAdd(Tensor src, int axis, int[] indices, int[] targetShape) {
        int a = Shapes.axis("indexAdd", axis, targetShape.length);
        for (int i : indices) if (i < 0 || i >= targetShape[a]) throw new IndexOutOfBoundsException("indexAdd: index " + i
                + " is outside axis " + a + " of extent " + targetShape[a]);
        Tensor out = empty(src.backend, src.dtype(), targetShape);
        src.backend.indexAdd(src.view(), a, indices.clone(), out.view());
        return out;
    }
}
