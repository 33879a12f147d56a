package org.diffusion4j.nn;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Tensor;

/** A trainable leaf variable with its local name inside the module that registered it (e.g. "weight"). */
public final class Parameter extends Variable {
    private final String name;

    public Parameter(String name, Tensor value) {
        super(value, true);
        if (name == null || name.isEmpty() || name.contains(".")) throw new IllegalArgumentException(
                "parameter name must be non-empty and contain no '.', got '" + name + "'");
        this.name = name;
    }

    /** The local name, without the path of enclosing modules. */
    public String name() { return name; }
}
