package org.diffusion4j.tensor;

/** Elementwise maps of two operands. Comparisons give 1 where true and 0 where false, in the operands' dtype. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN, EQ, NE, LT, LE, GT, GE
}
