package org.diffusion4j.nn;

import org.diffusion4j.autograd.Variable;

/** A module with one input and one output, so it can be chained in a {@link Sequential}. */
public interface UnaryModule {
    Variable forward(Variable x);
}
