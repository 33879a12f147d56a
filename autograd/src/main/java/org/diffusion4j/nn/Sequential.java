package org.diffusion4j.nn;

import org.diffusion4j.autograd.Variable;

import java.util.ArrayList;
import java.util.List;

/** Applies single-input layers in order; they are named "0", "1", ... */
public final class Sequential extends Module implements UnaryModule {
    private final List<UnaryModule> layers = new ArrayList<>();

    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** Appends a layer (a Module implementing UnaryModule). */
    public Sequential add(Module m) {
        if (!(m instanceof UnaryModule u)) throw new IllegalArgumentException("Sequential: " + m.getClass().getSimpleName()
                + " at position " + layers.size() + " does not implement UnaryModule");
        register(Integer.toString(layers.size()), m);
        layers.add(u);
        return this;
    }

    public int size() { return layers.size(); }

    @Override public Variable forward(Variable x) {
        for (UnaryModule m : layers) x = m.forward(x);
        return x;
    }
}
