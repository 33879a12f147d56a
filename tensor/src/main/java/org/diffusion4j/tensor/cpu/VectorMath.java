package org.diffusion4j.tensor.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise arithmetic on dense {@code double[]} buffers with the Vector API.
 *
 * <p>Only exactly rounded operations (+, -, *, /, fma, each rounded once) are used, so the vector lanes
 * and the scalar tail give the same bits, in the interpreter and in compiled code alike. That is why the
 * Vector API's lanewise EXP is not used: it is an intrinsic (SVML) only once C2 has compiled the loop and
 * a differently rounded Java implementation before that, so the same call could give different bits early
 * and late in a run. Instead {@link #exp} is written here from basic operations (see there).
 */
final class VectorMath {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private VectorMath() { }

    // ---- exp from basic operations --------------------------------------------------------------------

    /** ln 2 split in a head with trailing zero bits (so n * LN2_HI is exact) and the rest (fdlibm's e_exp.c). */
    private static final double LN2_HI = 6.93147180369123816490e-01, LN2_LO = 1.90821492927058770002e-10;
    private static final double LOG2E = 1.4426950408889634;
    /** Adding and subtracting 1.5 * 2^52 rounds a double of magnitude below 2^51 to the nearest integer. */
    private static final double ROUNDER = 0x1.8p52;
    private static final double MIN_ARG = -746.0, MAX_ARG = 710.0;
    /** 1/k! for k = 0..13: the Taylor polynomial of exp on |r| <= ln2 / 2 (remainder below 5e-18). */
    private static final double[] INV_FACTORIAL = new double[14];
    static {
        double f = 1;
        for (int k = 0; k < INV_FACTORIAL.length; k++) {
            if (k > 0) f *= k;
            INV_FACTORIAL[k] = 1.0 / f;
        }
    }

    /**
     * exp(x) to about 1 ulp from +, *, fma only: x = n ln2 + r with n = round(x / ln2) (Cody and Waite's
     * two-part ln2), exp(r) by its Taylor polynomial of degree 13 in Horner form, and the factor 2^n applied
     * as 2^(n/2) 2^(n - n/2) so that subnormal results and overflow to infinity come out right.
     */
    static double exp(double x) {
        double xc = Math.min(Math.max(x, MIN_ARG), MAX_ARG);
        double n = (xc * LOG2E + ROUNDER) - ROUNDER;
        double r = (xc - n * LN2_HI) - n * LN2_LO;
        double p = INV_FACTORIAL[13];
        for (int k = 12; k >= 0; k--) p = Math.fma(p, r, INV_FACTORIAL[k]);
        long half = (long) n >> 1, rest = (long) n - half;
        return p * Double.longBitsToDouble((half + 1023) << 52) * Double.longBitsToDouble((rest + 1023) << 52);
    }

    static DoubleVector exp(DoubleVector x) {
        DoubleVector xc = x.max(MIN_ARG).min(MAX_ARG);
        DoubleVector n = xc.mul(LOG2E).add(ROUNDER).sub(ROUNDER);
        DoubleVector r = xc.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
        DoubleVector p = DoubleVector.broadcast(S, INV_FACTORIAL[13]);
        for (int k = 12; k >= 0; k--) p = p.fma(r, DoubleVector.broadcast(S, INV_FACTORIAL[k]));
        LongVector nl = (LongVector) n.convert(VectorOperators.D2L, 0);
        LongVector half = nl.lanewise(VectorOperators.ASHR, 1), rest = nl.sub(half);
        DoubleVector scaleHalf = half.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector scaleRest = rest.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return p.mul(scaleHalf).mul(scaleRest);
    }

    /** r = exp(x). */
    static void exp(double[] x, double[] r, int n) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += S.length()) exp(DoubleVector.fromArray(S, x, j)).intoArray(r, j);
        for (; j < n; j++) r[j] = exp(x[j]);
    }

    /** The logistic function without overflow: with e = exp(-|x|), 1 / (1 + e) for x &gt;= 0, e / (1 + e) below. */
    static double sigmoid(double x) {
        double e = exp(-Math.abs(x));
        return x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    }

    static DoubleVector sigmoid(DoubleVector x) {
        DoubleVector e = exp(x.abs().neg()), denominator = e.add(1.0);
        return e.div(denominator).blend(DoubleVector.broadcast(S, 1.0).div(denominator), x.compare(VectorOperators.GE, 0.0));
    }

    /** r = sigmoid(x). */
    static void sigmoid(double[] x, double[] r, int n) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += S.length()) sigmoid(DoubleVector.fromArray(S, x, j)).intoArray(r, j);
        for (; j < n; j++) r[j] = sigmoid(x[j]);
    }

    /** r = x * sigmoid(x) (SiLU); r may be x. */
    static void silu(double[] x, double[] r, int n) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += S.length()) {
            DoubleVector v = DoubleVector.fromArray(S, x, j);
            v.mul(sigmoid(v)).intoArray(r, j);
        }
        for (; j < n; j++) r[j] = x[j] * sigmoid(x[j]);
    }

    // ---- arithmetic ------------------------------------------------------------------------------------

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
