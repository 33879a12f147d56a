package org.diffusion4j.nn;

import org.diffusion4j.autograd.Variable;

/** x * sigmoid(x) (Elfwing et al. 2018; "swish"). */
public final class SiLU extends Module implements UnaryModule {
    @Override public Variable forward(Variable x) { return x.silu(); }
}
