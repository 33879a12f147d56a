package org.diffusion4j.autograd;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.ConvSpec;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node of a dynamic tape for reverse-mode automatic differentiation, wrapping an immutable
 * {@link Tensor}. Every op on variables computes its value at once and, when some input requires a
 * gradient and no {@link NoGrad} scope is open, records its inputs and its backward rule (a lambda written
 * next to the forward computation). {@link #backward(Tensor)} walks the recorded graph in reverse
 * topological order and accumulates (+=) the gradients of the leaves that require them, until
 * {@link #zeroGrad()}.
 *
 * <p>Ops broadcast as Tensor's do; the backward rules sum the gradient over the broadcast axes so each
 * input receives a gradient of its own shape.
 */
public class Variable {
    private Tensor value;
    private Tensor grad;
    private final boolean requiresGrad;
    private final String op;
    private final Variable[] inputs;
    private final BackwardRule rule;

    /** A leaf: a constant, or a parameter when requiresGrad. */
    protected Variable(Tensor value, boolean requiresGrad) {
        this(value, requiresGrad, requiresGrad ? "parameter" : "constant", new Variable[0], null);
    }

    private Variable(Tensor value, boolean requiresGrad, String op, Variable[] inputs, BackwardRule rule) {
        if (value == null) throw new IllegalArgumentException("a Variable needs a tensor, got null");
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.op = op;
        this.inputs = inputs;
        this.rule = rule;
    }

    /** A leaf that never receives a gradient. */
    public static Variable constant(Tensor value) { return new Variable(value, false); }

    /** A leaf that requires a gradient (a trainable parameter or an input to differentiate by). */
    public static Variable parameter(Tensor value) { return new Variable(value, true); }

    /**
     * The result of an op: recorded on the tape with its backward rule when some input requires a gradient
     * and recording is on, otherwise a constant. Public so that other modules can add differentiable ops.
     */
    public static Variable fromOp(String op, Tensor value, BackwardRule rule, Variable... inputs) {
        if (!NoGrad.isRecording() || !anyRequiresGrad(inputs)) return constant(value);
        return new Variable(value, true, op, inputs.clone(), rule);
    }

    private static boolean anyRequiresGrad(Variable... vs) {
        for (Variable v : vs) if (v != null && v.requiresGrad) return true;
        return false;
    }

    // ================================================================================ accessors

    public Tensor value() { return value; }

    /** The accumulated gradient of a leaf, or null until a backward pass reached it. */
    public Tensor grad() { return grad; }

    public boolean requiresGrad() { return requiresGrad; }

    /** True for constants and parameters, false for recorded op results. */
    public boolean isLeaf() { return rule == null; }

    /** Name of the op that produced this variable ("parameter" or "constant" for leaves). */
    public String op() { return op; }

    public int[] shape() { return value.shape(); }

    public int shape(int axis) { return value.shape(axis); }

    public int rank() { return value.rank(); }

    public long numel() { return value.numel(); }

    public DType dtype() { return value.dtype(); }

    public Backend backend() { return value.backend(); }

    @Override public String toString() {
        return "Variable(" + op + ") " + Shapes.str(value.shape()) + " " + dtype() + (requiresGrad ? " requiresGrad" : "");
    }

    /** The same value as a constant, cut off from the tape. */
    public Variable detach() { return constant(value); }

    /** Forgets the accumulated gradient. */
    public void zeroGrad() { grad = null; }

    /**
     * Replaces the value of a leaf (optimiser steps, loading weights, moving devices). The shape must stay
     * the same; the gradient is dropped when the dtype or backend changes.
     */
    public void assign(Tensor newValue) {
        if (!isLeaf()) throw new IllegalStateException("assign: only leaves can be assigned, this is the result of " + op);
        if (!Arrays.equals(newValue.shape(), value.shape())) throw new IllegalArgumentException("assign: new value "
                + Shapes.str(newValue.shape()) + " must have the shape " + Shapes.str(value.shape()));
        if (newValue.dtype() != value.dtype() || newValue.backend() != value.backend()) grad = null;
        value = newValue;
    }

    /**
     * Overwrites the values of a leaf in place (its storage is kept, so device memory stays flat across
     * training steps): the optimisers' and loadStateDict's way to change parameters. newValue must have the
     * same shape and backend; its dtype is converted. Tensors that share this leaf's storage (e.g. earlier
     * {@code value()} results or state dicts) see the new values, as in PyTorch.
     */
    public void update(Tensor newValue) {
        if (!isLeaf()) throw new IllegalStateException("update: only leaves can be updated, this is the result of " + op);
        if (!Arrays.equals(newValue.shape(), value.shape())) throw new IllegalArgumentException("update: new value "
                + Shapes.str(newValue.shape()) + " must have the shape " + Shapes.str(value.shape()));
        if (newValue.backend() != value.backend()) throw new IllegalArgumentException("update: new value is on "
                + newValue.device() + ", the variable on " + value.device() + " (move it with to(backend) first)");
        if (newValue == value) return;
        // Backend.copy converts dtypes and writes through value's strides; the two storages differ here
        // unless newValue is a view of value itself, which would alias, so copy such a view first.
        Tensor src = newValue.storage() == value.storage() ? newValue.copy() : newValue;
        value.backend().copy(src.view(), value.view());
    }

    /** Sets (or clears, with null) the gradient of a leaf, e.g. after clipping. Its shape must match. */
    public void setGrad(Tensor newGrad) {
        if (newGrad != null && !Arrays.equals(newGrad.shape(), value.shape())) throw new IllegalArgumentException(
                "setGrad: gradient " + Shapes.str(newGrad.shape()) + " must have the shape " + Shapes.str(value.shape()));
        grad = newGrad;
    }

    // ================================================================================ backward pass

    /** Backpropagates from a one-element output (seed 1). */
    public void backward() {
        if (value.numel() != 1) throw new IllegalStateException("backward() needs a one-element output, got shape "
                + Shapes.str(value.shape()) + "; pass a seed gradient with backward(seed)");
        backward(Tensor.ones(value.backend(), value.dtype(), value.shape()));
    }

    /** Backpropagates the vector-Jacobian product with seed (of this variable's shape) to every leaf. */
    public void backward(Tensor seed) {
        if (!requiresGrad) throw new IllegalStateException("backward: " + this + " does not require a gradient"
                + " (no input requires one, or it was computed inside NoGrad)");
        if (!Arrays.equals(seed.shape(), value.shape())) throw new IllegalArgumentException("backward: seed "
                + Shapes.str(seed.shape()) + " must have the output's shape " + Shapes.str(value.shape()));
        if (seed.dtype() != value.dtype() || seed.backend() != value.backend()) throw new IllegalArgumentException(
                "backward: seed is " + seed.dtype() + " on " + seed.device() + ", output is " + dtype() + " on " + value.device());
        List<Variable> order = topologicalOrder();
        Map<Variable, Tensor> pending = new IdentityHashMap<>();
        pending.put(this, seed);
        try (NoGrad g = NoGrad.enter()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Variable v = order.get(i);
                Tensor gv = pending.remove(v);
                if (gv == null) continue;
                if (v.isLeaf()) {
                    v.grad = v.grad == null ? gv.contiguous() : v.grad.add(gv);
                    continue;
                }
                Tensor[] gs = v.rule.apply(gv);
                for (int j = 0; j < v.inputs.length; j++) {
                    Variable in = v.inputs[j];
                    if (in == null || !in.requiresGrad || gs[j] == null) continue;
                    if (!Arrays.equals(gs[j].shape(), in.value.shape())) throw new IllegalStateException("backward rule of "
                            + v.op + " gave input " + j + " a gradient " + Shapes.str(gs[j].shape()) + " for shape "
                            + Shapes.str(in.value.shape()));
                    Tensor prev = pending.get(in);
                    pending.put(in, prev == null ? gs[j] : prev.add(gs[j]));
                }
            }
        }
    }

    /** Nodes that require a gradient, each after all of its inputs (iterative depth-first search). */
    private List<Variable> topologicalOrder() {
        List<Variable> order = new ArrayList<>();
        Set<Variable> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[]{this, 0});
        visited.add(this);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Variable v = (Variable) frame[0];
            int next = (Integer) frame[1];
            if (next < v.inputs.length) {
                frame[1] = next + 1;
                Variable in = v.inputs[next];
                if (in != null && in.requiresGrad && visited.add(in)) stack.push(new Object[]{in, 0});
            } else {
                stack.pop();
                order.add(v);
            }
        }
        return order;
    }

    /** Sums a gradient of a broadcast result back to the shape of the operand that was broadcast. */
    static Tensor unbroadcast(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) return g;
        int lead = gs.length - shape.length;
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < gs.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && gs[i] != 1)) axes.add(i);
        }
        Tensor s = axes.isEmpty() ? g : g.sum(true, axes.stream().mapToInt(Integer::intValue).toArray());
        return s.reshape(shape);
    }

    private Variable node(String name, Tensor out, BackwardRule r) { return fromOp(name, out, r, this); }

    private void checkSameBackend(String name, Variable o) {
        if (o.backend() != backend()) throw new IllegalArgumentException(name + ": operands live on different devices: "
                + value.device() + " and " + o.value.device());
    }

    // ================================================================================ arithmetic

    public Variable add(Variable o) {
        Tensor a = value, b = o.value;
        return fromOp("add", a.add(b), g -> new Tensor[]{
                requiresGrad ? unbroadcast(g, a.shape()) : null,
                o.requiresGrad ? unbroadcast(g, b.shape()) : null}, this, o);
    }

    public Variable sub(Variable o) {
        Tensor a = value, b = o.value;
        return fromOp("sub", a.sub(b), g -> new Tensor[]{
                requiresGrad ? unbroadcast(g, a.shape()) : null,
                o.requiresGrad ? unbroadcast(g.neg(), b.shape()) : null}, this, o);
    }

    public Variable mul(Variable o) {
        Tensor a = value, b = o.value;
        return fromOp("mul", a.mul(b), g -> new Tensor[]{
                requiresGrad ? unbroadcast(g.mul(b), a.shape()) : null,
                o.requiresGrad ? unbroadcast(g.mul(a), b.shape()) : null}, this, o);
    }

    /** y = a / b: dy/da = 1/b, dy/db = -y/b. */
    public Variable div(Variable o) {
        Tensor a = value, b = o.value, y = a.div(b);
        return fromOp("div", y, g -> new Tensor[]{
                requiresGrad ? unbroadcast(g.div(b), a.shape()) : null,
                o.requiresGrad ? unbroadcast(g.mul(y).div(b).neg(), b.shape()) : null}, this, o);
    }

    /** Convenience: the tensor operand is a constant. */
    public Variable add(Tensor o) { return add(constant(o)); }

    public Variable sub(Tensor o) { return sub(constant(o)); }

    public Variable mul(Tensor o) { return mul(constant(o)); }

    public Variable div(Tensor o) { return div(constant(o)); }

    public Variable add(double s) { return node("add", value.add(s), g -> new Tensor[]{g}); }

    public Variable sub(double s) { return node("sub", value.sub(s), g -> new Tensor[]{g}); }

    public Variable mul(double s) { return node("mul", value.mul(s), g -> new Tensor[]{g.mul(s)}); }

    public Variable div(double s) { return node("div", value.div(s), g -> new Tensor[]{g.div(s)}); }

    /** a * this + b in one pass. */
    public Variable affine(double a, double b) { return node("affine", value.affine(a, b), g -> new Tensor[]{g.mul(a)}); }

    public Variable neg() { return node("neg", value.neg(), g -> new Tensor[]{g.neg()}); }

    /**
     * alpha * x + beta * y (+ gamma * z when z is not null) in one fused pass, broadcasting; its gradient
     * is the same combination taken apart.
     */
    public static Variable linearCombination(double alpha, Variable x, double beta, Variable y, double gamma, Variable z) {
        Tensor out = Tensor.linearCombination(alpha, x.value, beta, y.value, gamma, z == null ? null : z.value);
        return fromOp("linearCombination", out, g -> new Tensor[]{
                x.requiresGrad ? unbroadcast(g.mul(alpha), x.value.shape()) : null,
                y.requiresGrad ? unbroadcast(g.mul(beta), y.value.shape()) : null,
                z != null && z.requiresGrad ? unbroadcast(g.mul(gamma), z.value.shape()) : null}, x, y, z);
    }

    // ================================================================================ elementwise functions

    public Variable exp() {
        Tensor y = value.exp();
        return node("exp", y, g -> new Tensor[]{g.mul(y)});
    }

    public Variable log() {
        Tensor x = value;
        return node("log", x.log(), g -> new Tensor[]{g.div(x)});
    }

    /** d sqrt(x) = 1 / (2 sqrt(x)). */
    public Variable sqrt() {
        Tensor y = value.sqrt();
        return node("sqrt", y, g -> new Tensor[]{g.div(y).mul(0.5)});
    }

    /** y = x^(-1/2): dy/dx = -y^3 / 2. */
    public Variable rsqrt() {
        Tensor y = value.rsqrt();
        return node("rsqrt", y, g -> new Tensor[]{g.mul(y.square().mul(y)).mul(-0.5)});
    }

    public Variable square() {
        Tensor x = value;
        return node("square", x.square(), g -> new Tensor[]{g.mul(x).mul(2.0)});
    }

    /** d x^p = p x^(p-1). */
    public Variable pow(double p) {
        Tensor x = value;
        return node("pow", x.pow(p), g -> new Tensor[]{g.mul(x.pow(p - 1)).mul(p)});
    }

    /** Gradient sign(x) (0 at 0, as PyTorch). */
    public Variable abs() {
        Tensor x = value;
        return node("abs", x.abs(), g -> new Tensor[]{g.mul(x.sign())});
    }

    public Variable sin() {
        Tensor x = value;
        return node("sin", x.sin(), g -> new Tensor[]{g.mul(x.cos())});
    }

    public Variable cos() {
        Tensor x = value;
        return node("cos", x.cos(), g -> new Tensor[]{g.mul(x.sin()).neg()});
    }

    /** d tanh = 1 - tanh^2. */
    public Variable tanh() {
        Tensor y = value.tanh();
        return node("tanh", y, g -> new Tensor[]{g.mul(y.square().affine(-1.0, 1.0))});
    }

    /** d sigma = sigma (1 - sigma). */
    public Variable sigmoid() {
        Tensor y = value.sigmoid();
        return node("sigmoid", y, g -> new Tensor[]{g.mul(y.mul(y.affine(-1.0, 1.0)))});
    }

    /** silu(x) = x sigma(x); d/dx = sigma(x) (1 + x (1 - sigma(x))). */
    public Variable silu() {
        Tensor x = value;
        return node("silu", x.silu(), g -> {
            Tensor s = x.sigmoid();
            return new Tensor[]{g.mul(s.mul(x.mul(s.affine(-1.0, 1.0)).add(1.0)))};
        });
    }

    /**
     * Exact GELU, x Phi(x); d/dx = Phi(x) + x phi(x) with the standard normal density phi. Phi is recovered
     * as gelu(x) / x (exact to rounding; 1/2 at x = 0) because the SPI has no erf primitive.
     */
    public Variable gelu() {
        Tensor x = value, y = x.gelu();
        return node("gelu", y, g -> {
            Tensor isZero = x.eq(0.0);
            Tensor one = Tensor.ones(x.backend(), x.dtype());
            Tensor half = Tensor.full(x.backend(), x.dtype(), 0.5);
            Tensor cdf = Tensor.where(isZero, half, y.div(Tensor.where(isZero, one, x)));
            Tensor pdf = x.square().mul(-0.5).exp().mul(1.0 / Math.sqrt(2.0 * Math.PI));
            return new Tensor[]{g.mul(cdf.add(x.mul(pdf)))};
        });
    }

    /** Gradient 1 where x &gt; 0, else 0. */
    public Variable relu() {
        Tensor x = value;
        return node("relu", x.relu(), g -> new Tensor[]{g.mul(x.gt(0.0))});
    }

    /** min(max(x, min), max); the gradient passes where min &lt;= x &lt;= max (as PyTorch). */
    public Variable clamp(double min, double max) {
        Tensor x = value;
        return node("clamp", x.clamp(min, max), g -> new Tensor[]{g.mul(x.ge(min)).mul(x.le(max))});
    }

    /** cond != 0 ? x : y, broadcasting; each branch gets the gradient where it was chosen. */
    public static Variable where(Tensor cond, Variable x, Variable y) {
        Tensor out = Tensor.where(cond, x.value, y.value);
        return fromOp("where", out, g -> {
            Tensor zero = Tensor.zeros(g.backend(), g.dtype());
            return new Tensor[]{
                    x.requiresGrad ? unbroadcast(Tensor.where(cond, g, zero), x.value.shape()) : null,
                    y.requiresGrad ? unbroadcast(Tensor.where(cond, zero, g), y.value.shape()) : null};
        }, x, y);
    }

    // ================================================================================ reductions

    /** Shape of x with the given axes (all when none) set to 1. */
    private int[] keptShape(int... axes) {
        int[] ks = value.shape();
        if (axes.length == 0) Arrays.fill(ks, 1);
        for (int a : axes) ks[Shapes.axis("reduce", a, ks.length)] = 1;
        return ks;
    }

    /** Sum over the axes (all when none); the gradient is broadcast back over them. */
    public Variable sum(boolean keepDim, int... axes) {
        int[] shape = value.shape(), ks = keptShape(axes);
        return node("sum", value.sum(keepDim, axes), g -> new Tensor[]{g.reshape(ks).expand(shape)});
    }

    /** Mean over the axes (all when none); the gradient is broadcast back and divided by the count. */
    public Variable mean(boolean keepDim, int... axes) {
        int[] shape = value.shape(), ks = keptShape(axes);
        double n = (double) value.numel() / Shapes.numel(ks);
        return node("mean", value.mean(keepDim, axes), g -> new Tensor[]{g.reshape(ks).mul(1.0 / n).expand(shape)});
    }

    /** Sum of all elements (0-d). */
    public Variable sum() { return sum(false); }

    /** Mean of all elements (0-d). */
    public Variable mean() { return mean(false); }

    /** Variance over the axes: sum((x - mean)^2) / (n - correction); composed of differentiable ops. */
    public Variable var(int correction, boolean keepDim, int... axes) {
        int[] ks = keptShape(axes);
        long n = value.numel() / Shapes.numel(ks);
        if (n - correction <= 0) throw new IllegalArgumentException("var: " + n + " elements with correction " + correction);
        Variable centred = sub(mean(true, axes));
        return centred.square().sum(keepDim, axes).mul(1.0 / (n - correction));
    }

    /** Softmax along axis; gradient y * (g - sum(g * y)). */
    public Variable softmax(int axis) {
        Tensor y = value.softmax(axis);
        int a = Shapes.axis("softmax", axis, value.rank());
        return node("softmax", y, g -> new Tensor[]{y.mul(g.sub(g.mul(y).sum(true, a)))});
    }

    /** Log-softmax along axis; gradient g - softmax * sum(g). */
    public Variable logSoftmax(int axis) {
        Tensor y = value.logSoftmax(axis);
        int a = Shapes.axis("logSoftmax", axis, value.rank());
        return node("logSoftmax", y, g -> new Tensor[]{g.sub(y.exp().mul(g.sum(true, a)))});
    }

    // ================================================================================ linear algebra

    /**
     * Matrix product with NumPy's rules (rank-1 operands promoted, batch axes broadcast). For C = A B:
     * dA = dC B^T and dB = A^T dC, summed over broadcast batch axes.
     */
    public Variable matmul(Variable o) {
        if (rank() == 0 || o.rank() == 0) throw new IllegalArgumentException("matmul: operands must have rank >= 1, got "
                + Shapes.str(shape()) + " and " + Shapes.str(o.shape()));
        Variable a = rank() == 1 ? unsqueeze(0) : this;
        Variable b = o.rank() == 1 ? o.unsqueeze(1) : o;
        Tensor av = a.value, bv = b.value;
        Variable r = fromOp("matmul", av.matmul(bv), g -> new Tensor[]{
                a.requiresGrad ? unbroadcast(g.matmul(bv.transpose(-1, -2)), av.shape()) : null,
                b.requiresGrad ? unbroadcast(av.transpose(-1, -2).matmul(g), bv.shape()) : null}, a, b);
        if (rank() == 1) r = r.squeeze(r.rank() - 2);
        if (o.rank() == 1) r = r.squeeze(r.rank() - 1);
        return r;
    }

    /**
     * Linear's y = x weight^T + bias, then SiLU when {@code silu}, with x [..., in], weight [out, in], bias [out]: one
     * backend call ({@code Tensor.linear}, the bias and SiLU in the GEMM's epilogue where the backend fuses them), the
     * same values as matmul, add, silu. Gradients, with g and x flattened to [M, out] and [M, in]: dx = g weight,
     * dweight = g^T x, dbias = the column sums of g. When a gradient is recorded the SiLU stays a separate op on the
     * tape (its derivative needs the value before it).
     */
    public static Variable linear(Variable x, Variable weight, Variable bias, boolean silu) {
        x.checkSameBackend("linear", weight);
        boolean recording = NoGrad.isRecording() && anyRequiresGrad(x, weight, bias);
        Tensor xv = x.value, wv = weight.value;
        Tensor out = Tensor.linear(xv, wv, bias.value, silu && !recording);
        Variable y = fromOp("linear", out, g -> {
            int in = wv.shape(1), outs = wv.shape(0);
            Tensor g2 = g.reshape(-1, outs);
            return new Tensor[]{
                    x.requiresGrad ? g.matmul(wv) : null,
                    weight.requiresGrad ? g2.transpose(0, 1).matmul(xv.reshape(-1, in)) : null,
                    bias.requiresGrad ? g2.sum(false, 0) : null};
        }, x, weight, bias);
        return silu && recording ? y.silu() : y;
    }

    // ================================================================================ views and shape

    public Variable reshape(int... newShape) {
        int[] shape = value.shape();
        return node("reshape", value.reshape(newShape), g -> new Tensor[]{g.reshape(shape)});
    }

    public Variable flatten() { return reshape(-1); }

    /** Result axis i is input axis order[i]; the gradient applies the inverse permutation. */
    public Variable permute(int... order) {
        Tensor out = value.permute(order);
        int[] inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) inverse[Shapes.axis("permute", order[i], order.length)] = i;
        return node("permute", out, g -> new Tensor[]{g.permute(inverse)});
    }

    public Variable transpose(int a, int b) {
        return node("transpose", value.transpose(a, b), g -> new Tensor[]{g.transpose(a, b)});
    }

    /** Elements [start, start + length) along axis; the gradient is zero outside that range. */
    public Variable narrow(int axis, int start, int length) {
        int a = Shapes.axis("narrow", axis, value.rank());
        int[] shape = value.shape();
        return node("narrow", value.narrow(a, start, length), g -> new Tensor[]{padAlong(g, a, start, shape)});
    }

    /** g placed at [start, start + g.shape(axis)) along axis inside zeros of the given shape. */
    private static Tensor padAlong(Tensor g, int axis, int start, int[] shape) {
        int after = shape[axis] - start - g.shape(axis);
        List<Tensor> parts = new ArrayList<>();
        if (start > 0) parts.add(zerosWithExtent(g, axis, start));
        parts.add(g);
        if (after > 0) parts.add(zerosWithExtent(g, axis, after));
        return parts.size() == 1 ? g : Tensor.concat(axis, parts.toArray(new Tensor[0]));
    }

    private static Tensor zerosWithExtent(Tensor like, int axis, int extent) {
        int[] s = like.shape();
        s[axis] = extent;
        return Tensor.zeros(like.backend(), like.dtype(), s);
    }

    /** Index along axis, removing that axis (narrow then squeeze). */
    public Variable select(int axis, int index) { return narrow(axis, index, 1).squeeze(axis); }

    /** Broadcasts to target; the gradient is summed over the expanded axes. */
    public Variable expand(int... target) {
        int[] shape = value.shape();
        return node("expand", value.expand(target), g -> new Tensor[]{unbroadcast(g, shape)});
    }

    public Variable squeeze() {
        int[] shape = value.shape();
        return node("squeeze", value.squeeze(), g -> new Tensor[]{g.reshape(shape)});
    }

    public Variable squeeze(int axis) {
        int[] shape = value.shape();
        return node("squeeze", value.squeeze(axis), g -> new Tensor[]{g.reshape(shape)});
    }

    public Variable unsqueeze(int axis) {
        int[] shape = value.shape();
        return node("unsqueeze", value.unsqueeze(axis), g -> new Tensor[]{g.reshape(shape)});
    }

    /** Joins along axis; each part receives its slice of the gradient. */
    public static Variable concat(int axis, Variable... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("concat: no variables");
        Tensor[] values = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) values[i] = parts[i].value;
        Tensor out = Tensor.concat(axis, values);
        int a = Shapes.axis("concat", axis, out.rank());
        return fromOp("concat", out, g -> {
            Tensor[] gs = new Tensor[parts.length];
            int at = 0;
            for (int i = 0; i < parts.length; i++) {
                int len = values[i].shape(a);
                if (parts[i].requiresGrad) gs[i] = g.narrow(a, at, len);
                at += len;
            }
            return gs;
        }, parts);
    }

    /** Slices along axis picked by indices; the gradient is scattered back with indexAdd (repeats add up). */
    public static Variable indexSelect(Variable x, int axis, int[] indices) {
        int[] idx = indices.clone(), shape = x.value.shape();
        int a = Shapes.axis("indexSelect", axis, shape.length);
        return fromOp("indexSelect", x.value.indexSelect(a, idx), g -> new Tensor[]{Tensor.indexAdd(g, a, idx, shape)}, x);
    }

    // ================================================================================ neural-network ops

    /** 2D convolution; bias may be null. The gradients use the backend's two backward primitives. */
    public static Variable conv2d(Variable x, Variable weight, Variable bias, ConvSpec spec) {
        x.checkSameBackend("conv2d", weight);
        Tensor xv = x.value, wv = weight.value;
        Tensor out = Tensor.conv2d(xv, wv, bias == null ? null : bias.value, spec);
        return fromOp("conv2d", out, g -> {
            // The backward kernels read a contiguous gradient; a slice of a concatenation's gradient (the UNet's
            // skip connections) is not, so lay it out once for both of them.
            Tensor gc = g.contiguous();
            return new Tensor[]{
                    x.requiresGrad ? Tensor.conv2dBackwardInput(gc, wv, xv.shape(), spec) : null,
                    weight.requiresGrad ? Tensor.conv2dBackwardWeight(xv, gc, wv.shape(), spec) : null,
                    bias != null && bias.requiresGrad ? gc.sum(false, 0, 2, 3) : null};
        }, x, weight, bias);
    }

    /**
     * conv2d(x, weight, bias) + sampleBias [N, O] broadcast over H, W + residual, in one backend call
     * ({@code Tensor.conv2dAdd}: fused into the convolution where the backend can); sampleBias and residual may be null.
     * Gradients: the convolution's, sampleBias's the sum of the output gradient over H and W, residual's the output
     * gradient itself.
     */
    public static Variable conv2dAdd(Variable x, Variable weight, Variable bias, Variable sampleBias, Variable residual, ConvSpec spec) {
        x.checkSameBackend("conv2dAdd", weight);
        if (sampleBias == null && residual == null) return conv2d(x, weight, bias, spec);
        Tensor xv = x.value, wv = weight.value;
        Tensor out = Tensor.conv2dAdd(xv, wv, bias == null ? null : bias.value, sampleBias == null ? null : sampleBias.value,
                residual == null ? null : residual.value, spec);
        return fromOp("conv2dAdd", out, g -> {
            Tensor gc = g.contiguous();
            return new Tensor[]{
                    x.requiresGrad ? Tensor.conv2dBackwardInput(gc, wv, xv.shape(), spec) : null,
                    weight.requiresGrad ? Tensor.conv2dBackwardWeight(xv, gc, wv.shape(), spec) : null,
                    bias != null && bias.requiresGrad ? gc.sum(false, 0, 2, 3) : null,
                    sampleBias != null && sampleBias.requiresGrad ? gc.sum(false, 2, 3) : null,
                    residual != null && residual.requiresGrad ? gc : null};
        }, x, weight, bias, sampleBias, residual);
    }

    /** Group normalisation (Wu &amp; He 2018) of x [N, C, ...] with optional affine gamma, beta [C] (both or neither). */
    public static Variable groupNorm(Variable x, Variable gamma, Variable beta, int groups, double eps) {
        if ((gamma == null) != (beta == null)) throw new IllegalArgumentException(
                "groupNorm: gamma and beta must both be given or both be null");
        Tensor xv = x.value, gv = gamma == null ? null : gamma.value;
        Tensor.GroupNormResult r = Tensor.groupNorm(xv, gv, beta == null ? null : beta.value, groups, eps, false);
        return fromOp("groupNorm", r.out(), g -> {
            Tensor.GroupNormGrads gr = Tensor.groupNormBackward(g, xv, gv, r.mean(), r.rstd(), groups);
            return new Tensor[]{gr.input(), gr.gamma(), gr.beta()};
        }, x, gamma, beta);
    }

    /**
     * SiLU(GroupNorm(x)). When no gradient is needed the backend's fused kernel does both in one pass;
     * otherwise it is groupNorm followed by silu on the tape.
     */
    public static Variable groupNormSilu(Variable x, Variable gamma, Variable beta, int groups, double eps) {
        if (!NoGrad.isRecording() || !anyRequiresGrad(x, gamma, beta)) {
            Tensor.GroupNormResult r = Tensor.groupNorm(x.value, gamma == null ? null : gamma.value,
                    beta == null ? null : beta.value, groups, eps, true);
            return constant(r.out());
        }
        return groupNorm(x, gamma, beta, groups, eps).silu();
    }

    /**
     * Scaled dot-product attention softmax(q k^T * scale + mask) v with q [B, L, D], k [B, S, D], v [B, S, E]
     * and an optional additive constant mask; the backward uses the backend's attention-backward primitive.
     */
    public static Variable attention(Variable q, Variable k, Variable v, Tensor mask, double scale) {
        // The kernels read contiguous operands: lay them out once here, for the forward and the backward alike.
        Tensor qv = q.value.contiguous(), kv = k.value.contiguous(), vv = v.value.contiguous();
        Tensor.AttentionResult r = Tensor.attention(qv, kv, vv, mask, scale);
        return fromOp("attention", r.out(), g -> {
            Tensor.AttentionGrads gr = Tensor.attentionBackward(qv, kv, vv, mask, scale, r, g);
            return new Tensor[]{gr.q(), gr.k(), gr.v()};
        }, q, k, v);
    }

    /** k x k average pooling with stride k. */
    public static Variable avgPool2d(Variable x, int k) {
        return fromOp("avgPool2d", x.value.avgPool2d(k), g -> new Tensor[]{Tensor.avgPool2dBackward(g, k)}, x);
    }

    /** Nearest-neighbour upsampling by an integer factor. */
    public static Variable upsampleNearest2d(Variable x, int factor) {
        return fromOp("upsampleNearest2d", x.value.upsampleNearest2d(factor),
                g -> new Tensor[]{Tensor.upsampleNearest2dBackward(g, factor)}, x);
    }
}
