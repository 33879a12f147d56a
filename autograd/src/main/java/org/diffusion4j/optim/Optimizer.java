package org.diffusion4j.optim;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates named parameters from their accumulated gradients, in place ({@link Variable#update}). Each parameter's state (moments, momentum
 * buffers) lives in tensors on the parameter's backend, so a step enqueues a few fused elementwise kernels
 * per parameter and never reads back to the host. The state and the step counter can be saved and
 * restored ({@link #stateTensors()}, {@link #stateMetadata()}, {@link #loadState}) so that a resumed run
 * continues exactly.
 *
 * <p>Memory: parameters and state keep their storages; the temporaries of a step belong to the caller's
 * {@link Scope}. Run forward, backward and {@code step()} inside one scope per iteration.
 */
public abstract class Optimizer {
    private final LinkedHashMap<String, Variable> parameters = new LinkedHashMap<>();
    /** Per parameter name, per slot name (e.g. "exp_avg"), the state tensor. */
    private final LinkedHashMap<String, LinkedHashMap<String, Tensor>> state = new LinkedHashMap<>();
    private double learningRate;
    private long step;

    protected Optimizer(Map<String, ? extends Variable> named, double learningRate) {
        if (named.isEmpty()) throw new IllegalArgumentException(getClass().getSimpleName() + ": no parameters to optimise");
        for (Map.Entry<String, ? extends Variable> e : named.entrySet()) {
            if (!e.getValue().requiresGrad() || !e.getValue().isLeaf()) throw new IllegalArgumentException(
                    getClass().getSimpleName() + ": '" + e.getKey() + "' is not a leaf that requires a gradient");
            parameters.put(e.getKey(), e.getValue());
        }
        setLearningRate(learningRate);
    }

    /** Names parameters of an unnamed list by their index. */
    protected static Map<String, Variable> byIndex(List<? extends Variable> params) {
        LinkedHashMap<String, Variable> m = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) m.put(Integer.toString(i), params.get(i));
        return m;
    }

    public double learningRate() { return learningRate; }

    public void setLearningRate(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + lr);
        this.learningRate = lr;
    }

    /** Number of steps taken so far. */
    public long stepCount() { return step; }

    public Map<String, Variable> parameters() { return java.util.Collections.unmodifiableMap(parameters); }

    /** One update of every parameter that has a gradient; step t = stepCount() after the increment. */
    public void step() {
        step++;
        for (Map.Entry<String, Variable> e : parameters.entrySet()) {
            Variable p = e.getValue();
            if (p.grad() == null) continue;
            Tensor g = p.grad();
            if (g.dtype() != p.dtype() || g.backend() != p.backend()) throw new IllegalStateException("parameter '"
                    + e.getKey() + "' is " + p.dtype() + " on " + p.value().device() + " but its gradient is " + g.dtype()
                    + " on " + g.device());
            p.update(update(e.getKey(), p.value(), g, step));
        }
    }

    /** The new value of parameter name (value p, gradient g) at step t (1-based). */
    protected abstract Tensor update(String name, Tensor p, Tensor g, long t);

    public void zeroGrad() { for (Variable p : parameters.values()) p.zeroGrad(); }

    /** A state slot of a parameter, or null before its first update. */
    protected Tensor slot(String name, String slot) {
        Map<String, Tensor> s = state.get(name);
        return s == null ? null : s.get(slot);
    }

    /**
     * Stores a slot's new value: copied into the existing slot's storage when there is one (so memory stays
     * flat), otherwise kept as the slot and taken out of any open {@link Scope}.
     */
    protected void setSlot(String name, String slot, Tensor value) {
        Map<String, Tensor> s = state.computeIfAbsent(name, k -> new LinkedHashMap<>());
        Tensor old = s.get(slot);
        if (old == null) {
            s.put(slot, Scope.persist(value));
        } else if (old != value) {
            old.backend().copy(value.view(), old.view());
        }
    }

    // ================================================================================ checkpoints

    /** Every state tensor, keyed "parameterName.slot" (e.g. "conv.weight.exp_avg"). */
    public LinkedHashMap<String, Tensor> stateTensors() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, LinkedHashMap<String, Tensor>> e : state.entrySet()) {
            for (Map.Entry<String, Tensor> s : e.getValue().entrySet()) out.put(e.getKey() + "." + s.getKey(), s.getValue());
        }
        return out;
    }

    /** The optimiser's kind, step counter and learning rate as strings. */
    public LinkedHashMap<String, String> stateMetadata() {
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        m.put("type", getClass().getSimpleName());
        m.put("step", Long.toString(step));
        m.put("lr", Double.toString(learningRate));
        return m;
    }

    /** The slot names this optimiser keeps per parameter. */
    protected abstract List<String> slotNames();

    /**
     * Restores what {@link #stateTensors()} and {@link #stateMetadata()} saved. Tensors are moved to each
     * parameter's backend and dtype; unknown keys, a different optimiser type or mis-shaped slots are errors.
     */
    public void loadState(Map<String, Tensor> tensors, Map<String, String> metadata) {
        String type = metadata.get("type");
        if (!getClass().getSimpleName().equals(type)) throw new IllegalArgumentException("optimizer state is for '" + type
                + "', this optimizer is " + getClass().getSimpleName());
        String stepText = metadata.get("step");
        if (stepText == null) throw new IllegalArgumentException("optimizer state has no 'step' entry");
        LinkedHashMap<String, LinkedHashMap<String, Tensor>> loaded = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String key = e.getKey();
            String slotName = null, param = null;
            for (String s : slotNames()) {
                if (key.endsWith("." + s) && parameters.containsKey(key.substring(0, key.length() - s.length() - 1))) {
                    slotName = s;
                    param = key.substring(0, key.length() - s.length() - 1);
                }
            }
            if (param == null) throw new IllegalArgumentException("optimizer state entry '" + key
                    + "' names no parameter slot (slots: " + slotNames() + ")");
            Variable p = parameters.get(param);
            if (!java.util.Arrays.equals(e.getValue().shape(), p.shape())) throw new IllegalArgumentException(
                    "optimizer state entry '" + key + "' has shape " + java.util.Arrays.toString(e.getValue().shape())
                            + ", parameter has " + java.util.Arrays.toString(p.shape()));
            loaded.computeIfAbsent(param, k -> new LinkedHashMap<>()).put(slotName, Scope.persist(e.getValue().to(p.backend()).cast(p.dtype()).copy()));
        }
        state.clear();
        state.putAll(loaded);
        step = parsed(stepText, "step", "an integer", Long::parseLong);
        if (metadata.containsKey("lr")) setLearningRate(parsed(metadata.get("lr"), "lr", "a number", Double::parseDouble));
    }

    /** A metadata value parsed, or an error naming the entry and what it should hold. */
    private static <T> T parsed(String text, String key, String expected, java.util.function.Function<String, T> parse) {
        try {
            return parse.apply(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("optimizer state metadata '" + key + "' is '" + text + "', expected " + expected);
        }
    }
}
