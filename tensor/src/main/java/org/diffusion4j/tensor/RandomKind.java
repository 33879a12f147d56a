package org.diffusion4j.tensor;

/** Distributions that backends fill from Philox4x32-10. */
public enum RandomKind {
    /** Uniform on the open interval (0, 1). */
    UNIFORM,
    /** Standard normal by Box-Muller. */
    NORMAL,
    /** -1 or +1 with equal probability (Hutchinson probes). */
    RADEMACHER
}
