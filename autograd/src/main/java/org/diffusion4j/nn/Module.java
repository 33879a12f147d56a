package org.diffusion4j.nn;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A building block of a network: it owns named parameters and named child modules, so every parameter
 * has a hierarchical name such as {@code down.1.res.conv1.weight} (children in registration order, each
 * module's own parameters before its children's, as PyTorch). Names are the keys of checkpoints.
 *
 * <p>Modules do not share one forward signature; single-input layers implement {@link UnaryModule}.
 */
public abstract class Module {
    private final LinkedHashMap<String, Parameter> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Registers a child module under a local name (no dots) and returns it. */
    protected <M extends Module> M register(String name, M child) {
        checkName(name);
        if (child == null) throw new IllegalArgumentException("register: child '" + name + "' is null");
        if (children.containsKey(name) || parameters.containsKey(name)) throw new IllegalArgumentException(
                "register: name '" + name + "' is already used in " + getClass().getSimpleName());
        children.put(name, child);
        return child;
    }

    /** Registers a trainable parameter under a local name (no dots) and returns it. */
    protected Parameter registerParameter(String name, Tensor value) {
        checkName(name);
        if (children.containsKey(name) || parameters.containsKey(name)) throw new IllegalArgumentException(
                "registerParameter: name '" + name + "' is already used in " + getClass().getSimpleName());
        Parameter p = new Parameter(name, Scope.persist(value));
        parameters.put(name, p);
        return p;
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) throw new IllegalArgumentException(
                "module and parameter names must be non-empty and contain no '.', got '" + name + "'");
    }

    // ================================================================================ traversal

    /** Every parameter of this module and its descendants, by hierarchical name, in a stable order. */
    public LinkedHashMap<String, Parameter> namedParameters() {
        LinkedHashMap<String, Parameter> out = new LinkedHashMap<>();
        collectParameters("", out);
        return out;
    }

    private void collectParameters(String prefix, Map<String, Parameter> out) {
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (Map.Entry<String, Module> e : children.entrySet()) e.getValue().collectParameters(prefix + e.getKey() + ".", out);
    }

    public List<Parameter> parameters() { return new ArrayList<>(namedParameters().values()); }

    /** This module (name "") and every descendant by hierarchical name, parents before children. */
    public LinkedHashMap<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        collectModules("", out);
        return out;
    }

    private void collectModules(String path, Map<String, Module> out) {
        out.put(path, this);
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collectModules(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
        }
    }

    /** The direct children in registration order. */
    public Map<String, Module> children() { return java.util.Collections.unmodifiableMap(children); }

    /** Total number of scalar parameters. */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) n += p.numel();
        return n;
    }

    // ================================================================================ modes

    /** Training mode (dropout active); propagates to all descendants. */
    public Module train() { return setTraining(true); }

    /** Evaluation mode (dropout is the identity); propagates to all descendants. */
    public Module eval() { return setTraining(false); }

    private Module setTraining(boolean on) {
        for (Module m : namedModules().values()) m.training = on;
        return this;
    }

    public boolean isTraining() { return training; }

    /** Gives every {@link Dropout} (and any other random layer) below this module the shared random state. */
    public Module setRandomState(RandomState state) {
        for (Map.Entry<String, Module> e : namedModules().entrySet()) e.getValue().attachRandomState(state, e.getKey());
        return this;
    }

    /** Hook for layers that draw random numbers; path is the module's hierarchical name. */
    protected void attachRandomState(RandomState state, String path) { }

    public void zeroGrad() { for (Parameter p : parameters()) p.zeroGrad(); }

    // ================================================================================ devices and dtypes

    /** Moves every parameter to backend (gradients are dropped). */
    public Module to(Backend backend) {
        for (Parameter p : parameters()) p.assign(Scope.persist(p.value().to(backend)));
        return this;
    }

    /** Converts every parameter to dtype (gradients are dropped). */
    public Module cast(DType dtype) {
        for (Parameter p : parameters()) p.assign(Scope.persist(p.value().cast(dtype)));
        return this;
    }

    // ================================================================================ state

    /**
     * A snapshot of the parameter values by hierarchical name, in {@link #namedParameters()} order. The
     * tensors are copies (parameters are updated in place, so a snapshot must not share their storage);
     * they belong to the current {@link Scope}, if any.
     */
    public LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : namedParameters().entrySet()) out.put(e.getKey(), e.getValue().value().copy());
        return out;
    }

    /**
     * Loads parameter values by name, copying each into the parameter's storage (so it keeps its backend
     * and dtype, and never shares memory with the given tensors). Every
     * name must match and every shape agree; otherwise nothing is loaded and the exception lists every
     * missing, unexpected and mis-shaped entry.
     */
    public void loadStateDict(Map<String, Tensor> state) {
        Map<String, Parameter> named = namedParameters();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), misShaped = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            Tensor t = state.get(e.getKey());
            if (t == null) missing.add(e.getKey());
            else if (!Arrays.equals(t.shape(), e.getValue().shape())) misShaped.add(e.getKey() + " (expected "
                    + Shapes.str(e.getValue().shape()) + ", got " + Shapes.str(t.shape()) + ")");
        }
        for (String k : state.keySet()) if (!named.containsKey(k)) unexpected.add(k);
        if (!missing.isEmpty() || !unexpected.isEmpty() || !misShaped.isEmpty()) {
            StringBuilder sb = new StringBuilder("loadStateDict into " + getClass().getSimpleName() + " failed, nothing was loaded:");
            if (!missing.isEmpty()) sb.append("\n  missing (").append(missing.size()).append("): ").append(String.join(", ", missing));
            if (!unexpected.isEmpty()) sb.append("\n  unexpected (").append(unexpected.size()).append("): ").append(String.join(", ", unexpected));
            if (!misShaped.isEmpty()) sb.append("\n  mis-shaped (").append(misShaped.size()).append("): ").append(String.join(", ", misShaped));
            throw new IllegalArgumentException(sb.toString());
        }
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            Parameter p = e.getValue();
            p.update(state.get(e.getKey()).to(p.backend()));
        }
    }
}
