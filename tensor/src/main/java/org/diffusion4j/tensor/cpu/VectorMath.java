package org.diffusion4j.tensor.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise arithmetic on dense {@code double[]} buffers with the Vector API.
 *
 * <p>Only exactly rounded operations (+, -, *, /, each rounded once, never contracted to an fma) are
 * vectorised here, so the vector lanes and the scalar tail give the same bits as the plain Java
 * expression. Transcendental functions deliberately stay scalar ({@link Math#exp} and friends): the
 * Vector API's lanewise EXP is an intrinsic (SVML) only once C2 has compiled the loop and falls back to
 * a differently rounded Java implementation before that, so the same call could give different bits
 * early and late in a run, which would break bitwise reproducibility.
 */
final class VectorMath {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private VectorMath() { }

    /** r = a * x + b. */
    static void affine(double[] x, double[] r, int n, double a, double b) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += S.length())
            DoubleVector.fromArray(S, x, j).mul(a).add(b).intoArray(r, j);
        for (; j < n; j++) r[j] = a * x[j] + b;
    }

    /** r = alpha * x + beta * y. */
    static void combine(double alpha, double[] x, double beta, double[] y, double[] r, int n) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += S.length())
            DoubleVector.fromArray(S, x, j).mul(alpha).add(DoubleVector.fromArray(S, y, j).mul(beta)).intoArray(r, j);
        for (; j < n; j++) r[j] = alpha * x[j] + beta * y[j];
    }

    /** r = alpha * x + beta * y + gamma * z, added left to right. */
    static void combine(double alpha, double[] x, double beta, double[] y, double gamma, double[] z, double[] r, int n) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += S.length())
            DoubleVector.fromArray(S, x, j).mul(alpha).add(DoubleVector.fromArray(S, y, j).mul(beta))
                    .add(DoubleVector.fromArray(S, z, j).mul(gamma)).intoArray(r, j);
        for (; j < n; j++) r[j] = alpha * x[j] + beta * y[j] + gamma * z[j];
    }

    /** r = x + y, x - y, x * y or x / y. */
    static void arithmetic(VectorOperators.Binary op, double[] x, double[] y, double[] r, int n) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += S.length())
            DoubleVector.fromArray(S, x, j).lanewise(op, DoubleVector.fromArray(S, y, j)).intoArray(r, j);
        if (op == VectorOperators.ADD) for (; j < n; j++) r[j] = x[j] + y[j];
        else if (op == VectorOperators.SUB) for (; j < n; j++) r[j] = x[j] - y[j];
        else if (op == VectorOperators.MUL) for (; j < n; j++) r[j] = x[j] * y[j];
        else if (op == VectorOperators.DIV) for (; j < n; j++) r[j] = x[j] / y[j];
        else throw new IllegalArgumentException("VectorMath.arithmetic: " + op + " is not one of ADD, SUB, MUL, DIV");
    }
}
