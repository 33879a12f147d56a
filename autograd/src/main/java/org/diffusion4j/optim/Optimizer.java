package org.diffusion4j.optim;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;

import java.util.ArrayList;
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

    /**
     * The optimiser's kind, step counter and learning rate as strings, and under "withState" the names of the
     * parameters that have state (comma-separated; a parameter that never had a gradient has none), so that a
     * restore can tell a complete state from one with entries missing.
     */
    public LinkedHashMap<String, String> stateMetadata() {
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        m.put("type", getClass().getSimpleName());
        m.put("step", Long.toString(step));
        m.put("lr", Double.toString(learningRate));
        m.put(WITH_STATE, String.join(",", state.keySet()));
        return m;
    }

    private static final String WITH_STATE = "withState";

    /** The slot names this optimiser keeps per parameter. */
    protected abstract List<String> slotNames();

    /**
     * What keeps {@link #loadState} from accepting this saved state, one line per problem (empty when it would
     * accept it): another optimiser type, no step counter, entries for no parameter slot, mis-shaped entries, and
     * missing entries: every slot of every parameter the metadata lists under "withState" (or, in state saved
     * without that list, of every parameter once the step counter is past 0) must be present, since a resumed run
     * with part of its moments reset no longer continues the run it resumes.
     */
    public List<String> stateProblems(Map<String, Tensor> tensors, Map<String, String> metadata) {
        List<String> problems = new ArrayList<>();
        String type = metadata.get("type");
        if (type == null && tensors.isEmpty()) {
            problems.add("no optimizer state (no 'type' entry and no state tensors)");
            return problems;
        }
        if (!getClass().getSimpleName().equals(type)) problems.add("optimizer state is for '" + type
                + "', this optimizer is " + getClass().getSimpleName());
        String stepText = metadata.get("step");
        long savedStep = -1;
        if (stepText == null) problems.add("optimizer state has no 'step' entry");
        else {
            try {
                savedStep = Long.parseLong(stepText);
                if (savedStep < 0) problems.add("optimizer state has step " + savedStep + ", expected >= 0");
            } catch (NumberFormatException e) {
                problems.add("optimizer state has step '" + stepText + "', expected an integer");
            }
        }
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String param = parameterOf(e.getKey());
            if (param == null) {
                problems.add("optimizer state entry '" + e.getKey() + "' names no parameter slot (slots: " + slotNames() + ")");
            } else if (!java.util.Arrays.equals(e.getValue().shape(), parameters.get(param).shape())) {
                problems.add("optimizer state entry '" + e.getKey() + "' has shape " + java.util.Arrays.toString(e.getValue().shape())
                        + ", parameter has " + java.util.Arrays.toString(parameters.get(param).shape()));
            }
        }
        List<String> expected = new ArrayList<>();
        String withState = metadata.get(WITH_STATE);
        if (withState != null) {
            for (String name : withState.split(",")) {
                if (name.isEmpty()) continue;
                if (!parameters.containsKey(name)) problems.add("optimizer state lists '" + name + "', which is no parameter");
                else expected.add(name);
            }
        } else if (savedStep > 0) {
            expected.addAll(parameters.keySet());
        }
        List<String> missing = new ArrayList<>();
        for (String name : expected) for (String slot : slotNames()) if (!tensors.containsKey(name + "." + slot)) missing.add(name + "." + slot);
        if (!missing.isEmpty()) problems.add("optimizer state is incomplete: " + missing.size() + " entries missing ("
                + String.join(", ", missing.subList(0, Math.min(8, missing.size()))) + (missing.size() > 8 ? ", ..." : "") + ")");
        return problems;
    }

    /** The parameter whose slot key is (e.g. "conv.weight" for "conv.weight.exp_avg"), or null. */
    private String parameterOf(String key) {
        for (String s : slotNames()) {
            if (key.endsWith("." + s) && parameters.containsKey(key.substring(0, key.length() - s.length() - 1))) {
                return key.substring(0, key.length() - s.length() - 1);
            }
        }
        return null;
    }

    /**
     * Restores what {@link #stateTensors()} and {@link #stateMetadata()} saved. Tensors are moved to each
     * parameter's backend and dtype. State that {@link #stateProblems} finds fault with is refused, naming every
     * problem, and nothing is changed.
     */
    public void loadState(Map<String, Tensor> tensors, Map<String, String> metadata) {
        List<String> problems = stateProblems(tensors, metadata);
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        LinkedHashMap<String, LinkedHashMap<String, Tensor>> loaded = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String key = e.getKey(), param = parameterOf(key);
            String slotName = key.substring(param.length() + 1);
            Variable p = parameters.get(param);
            loaded.computeIfAbsent(param, k -> new LinkedHashMap<>()).put(slotName, Scope.persist(e.getValue().to(p.backend()).cast(p.dtype()).copy()));
        }
        state.clear();
        state.putAll(loaded);
        step = Long.parseLong(metadata.get("step"));   // checked by stateProblems
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
