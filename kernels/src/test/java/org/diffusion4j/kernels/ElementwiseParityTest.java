package org.diffusion4j.kernels;

import org.diffusion4j.tensor.BinaryOp;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.diffusion4j.tensor.UnaryOp;
import org.junit.jupiter.api.Test;

import static org.diffusion4j.kernels.Parity.*;

class ElementwiseParityTest {

    /** Inputs inside each op's domain. */
    private static Pair input(UnaryOp op, DType t, long seed, int... shape) {
        return switch (op) {
            case SQRT, RSQRT, LOG -> random(t, seed, 0.05, 3, shape);
            case POW -> random(t, seed, 0.1, 2, shape);
            case RECIPROCAL -> random(t, seed, 0.2, 2, shape);
            default -> random(t, seed, -4, 4, shape);
        };
    }

    private static double a(UnaryOp op) { return op == UnaryOp.POW ? 1.7 : op == UnaryOp.CLAMP ? -0.5 : 0.75; }

    private static double b(UnaryOp op) { return op == UnaryOp.CLAMP ? 0.6 : -0.25; }

    @Test void everyUnaryOpOnContiguousAndStridedOperands() {
        for (DType t : dtypes()) {
            for (UnaryOp op : UnaryOp.values()) {
                Pair x = input(op, t, 11 + op.ordinal(), 17, 33);
                // contiguous
                Pair out = poisoned(t, 17, 33);
                CPU.unary(op, x.cpu().view(), out.cpu().view(), a(op), b(op));
                cl().unary(op, x.cl().view(), out.cl().view(), a(op), b(op));
                assertClose(op + " " + t + " contiguous", out, 4 * tol(t));
                // transposed input, written into a strided slice of a bigger poisoned output
                Pair xt = x.map(v -> v.transpose(0, 1));
                Pair big = poisoned(t, 33, 40);
                Pair dst = big.map(v -> v.narrow(1, 3, 17));
                CPU.unary(op, xt.cpu().view(), dst.cpu().view(), a(op), b(op));
                cl().unary(op, xt.cl().view(), dst.cl().view(), a(op), b(op));
                assertClose(op + " " + t + " strided", big, 4 * tol(t));
            }
        }
    }

    @Test void everyBinaryOpWithBroadcastAndTransposedOperands() {
        for (DType t : dtypes()) {
            for (BinaryOp op : BinaryOp.values()) {
                boolean positive = op == BinaryOp.POW;
                Pair x = positive ? random(t, 3, 0.1, 2, 3, 1, 33) : random(t, 3, 3, 1, 33);
                Pair y = positive ? random(t, 4, 0.1, 2, 17, 3) : random(t, 4, 17, 3);
                // x broadcasts along axis 1, y is a transposed view broadcast along axis 0
                Pair xe = x.map(v -> v.expand(3, 17, 33));
                Pair ye = y.map(v -> v.transpose(0, 1).unsqueeze(2).expand(3, 17, 33));
                Pair out = poisoned(t, 3, 17, 33);
                CPU.binary(op, xe.cpu().view(), ye.cpu().view(), out.cpu().view());
                cl().binary(op, xe.cl().view(), ye.cl().view(), out.cl().view());
                assertClose(op + " " + t + " broadcast", out, 4 * tol(t));
                // plain contiguous operands with some equal elements (for EQ / NE / LE)
                Pair u = random(t, 5, 1000);
                Pair w = u.map(v -> v.mul(1.0));
                Pair o2 = poisoned(t, 1000);
                CPU.binary(op, u.cpu().view(), w.cpu().view(), o2.cpu().view());
                cl().binary(op, u.cl().view(), w.cl().view(), o2.cl().view());
                assertClose(op + " " + t + " contiguous", o2, 4 * tol(t));
            }
        }
    }

    @Test void whereLinearCombinationFillAndConvertingCopy() {
        for (DType t : dtypes()) {
            Pair c = random(t, 7, 17, 1).map(v -> v.gt(0.0));
            Pair x = random(t, 8, 17, 33), y = random(t, 9, 33, 17);
            Pair out = poisoned(t, 17, 33);
            Pair ce = c.map(v -> v.expand(17, 33)), yt = y.map(v -> v.transpose(0, 1));
            CPU.where(ce.cpu().view(), x.cpu().view(), yt.cpu().view(), out.cpu().view());
            cl().where(ce.cl().view(), x.cl().view(), yt.cl().view(), out.cl().view());
            assertClose("where " + t, out, 0);

            Pair z = random(t, 10, 33);
            Pair ze = z.map(v -> v.expand(17, 33));
            for (boolean withZ : new boolean[]{false, true}) {
                Pair o = poisoned(t, 17, 33);
                CPU.linearCombination(0.3, x.cpu().view(), -1.7, yt.cpu().view(), 2.5, withZ ? ze.cpu().view() : null, o.cpu().view());
                cl().linearCombination(0.3, x.cl().view(), -1.7, yt.cl().view(), 2.5, withZ ? ze.cl().view() : null, o.cl().view());
                assertClose("linearCombination " + t + " z=" + withZ, o, tol(t));
                Pair oc = poisoned(t, 17, 33);
                CPU.linearCombination(0.3, x.cpu().view(), -1.7, x.cpu().view(), 2.5, withZ ? x.cpu().view() : null, oc.cpu().view());
                cl().linearCombination(0.3, x.cl().view(), -1.7, x.cl().view(), 2.5, withZ ? x.cl().view() : null, oc.cl().view());
                assertClose("linearCombination contiguous " + t + " z=" + withZ, oc, tol(t));
            }

            Pair f = poisoned(t, 5, 8).map(v -> v.slice(1, 1, 8, 2));
            CPU.fill(f.cpu().view(), 0.125);
            cl().fill(f.cl().view(), 0.125);
            assertClose("fill " + t, f, 0);

            DType other = t == DType.F32 ? DType.F64 : DType.F32;
            if (!cl().supports(other)) continue;
            Pair src = random(t, 12, 3, 17).map(v -> v.transpose(0, 1));
            Pair dst = poisoned(other, 17, 3);
            CPU.copy(src.cpu().view(), dst.cpu().view());
            cl().copy(src.cl().view(), dst.cl().view());
            assertBitwise("copy " + t + " -> " + other, dst.cpu(), dst.cl());
        }
    }

    @Test void readOfStridedViewsAndRanksUpToEight() {
        Pair x = random(DType.F32, 13, 2, 3, 2, 3, 2, 3, 2, 3);
        Pair p = x.map(v -> v.permute(7, 0, 6, 1, 5, 2, 4, 3));
        assertClose("read permuted rank 8", p, 0);
        Pair out = poisoned(DType.F32, p.cpu().shape());
        CPU.unary(UnaryOp.EXP, p.cpu().view(), out.cpu().view(), 0, 0);
        cl().unary(UnaryOp.EXP, p.cl().view(), out.cl().view(), 0, 0);
        assertClose("exp over rank 8 permutation", out, tol(DType.F32));
    }
}
