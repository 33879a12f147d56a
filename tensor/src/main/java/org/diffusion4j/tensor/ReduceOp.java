package org.diffusion4j.tensor;

/** Reductions over axes, always in a fixed order so results are bitwise reproducible. */
public enum ReduceOp {
    SUM, MEAN, MAX, MIN
}
