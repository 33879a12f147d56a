package org.diffusion4j.tensor;

/**
 * Elementwise maps {@code out = f(x; a, b)}. The parameters a and b are used only where stated.
 * GELU is the exact form x * Phi(x) with the error function, as PyTorch's default.
 */
public enum UnaryOp {
    COPY, NEG, ABS, SQUARE, SQRT, RSQRT, RECIPROCAL, EXP, LOG, SIN, COS, TANH, SIGMOID, SILU, GELU, RELU,
    /** a * x + b */
    AFFINE,
    /** x ^ a */
    POW,
    /** min(max(x, a), b) */
    CLAMP,
    /** 1 if x &gt; 0, -1 if x &lt; 0, else 0 */
    SIGN
}
