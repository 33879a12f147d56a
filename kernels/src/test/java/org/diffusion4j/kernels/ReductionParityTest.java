package org.diffusion4j.kernels;

import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.ReduceOp;
import org.junit.jupiter.api.Test;

import static org.diffusion4j.kernels.Parity.*;

class ReductionParityTest {

    private static void check(ReduceOp op, DType t, Pair x, int[] outShape, String what) {
        Pair out = poisoned(t, outShape);
        CPU.reduce(op, x.cpu().view(), out.cpu().view());
        cl().reduce(op, x.cl().view(), out.cl().view());
        assertClose(op + " " + t + " " + what, out, op == ReduceOp.SUM || op == ReduceOp.MEAN ? accTol(t) : 0);
    }

    @Test void everyOpOverAxisSetsOfOddShapes() {
        for (DType t : dtypes()) {
            Pair x = random(t, 21, 3, 17, 33);
            for (ReduceOp op : ReduceOp.values()) {
                check(op, t, x, new int[]{1, 17, 33}, "axis 0");
                check(op, t, x, new int[]{3, 1, 33}, "axis 1");
                check(op, t, x, new int[]{3, 17, 1}, "axis 2");
                check(op, t, x, new int[]{1, 17, 1}, "axes 0,2");
                check(op, t, x, new int[]{1, 1, 1}, "all");
                check(op, t, x.map(v -> v.permute(2, 0, 1)), new int[]{33, 1, 17}, "permuted, axis 1");
                check(op, t, random(t, 22, 1, 1, 1), new int[]{1, 1, 1}, "one element");
            }
        }
    }

    @Test void longRowsTakeTheTwoPassPath() {
        for (DType t : dtypes()) {
            Pair x = random(t, 23, 2, 100_003);
            for (ReduceOp op : ReduceOp.values()) {
                check(op, t, x, new int[]{2, 1}, "rows of 100003");
                check(op, t, x, new int[]{1, 1}, "all 200006");
            }
            Pair strided = random(t, 24, 70_001, 3).map(v -> v.narrow(1, 1, 1));
            check(ReduceOp.SUM, t, strided, new int[]{1, 1}, "strided column of 70001");
        }
    }

    /** A bias gradient's shape: one output per channel, reduced over batch and pixels, split into chunks. */
    @Test void perChannelSumsOverBatchAndPixelsAreChunked() {
        for (DType t : dtypes()) {
            Pair x = random(t, 27, 64, 96, 12, 12);
            for (ReduceOp op : ReduceOp.values()) check(op, t, x, new int[]{1, 96, 1, 1}, "per channel of [64,96,12,12]");
            check(ReduceOp.SUM, t, random(t, 28, 33, 700, 7, 7), new int[]{1, 700, 1, 1}, "700 channels (no chunks)");
        }
    }

    @Test void argmaxAndSoftmax() {
        for (DType t : dtypes()) {
            Pair x = random(t, 25, 3, 17, 33);
            for (int axis = 0; axis < 3; axis++) {
                int[] s = {3, 17, 33};
                s[axis] = 1;
                Pair out = poisoned(t, s);
                CPU.argmax(x.cpu().view(), axis, out.cpu().view());
                cl().argmax(x.cl().view(), axis, out.cl().view());
                assertClose("argmax axis " + axis + " " + t, out, 0);
            }
            for (int n : new int[]{1, 3, 33, 1000}) {
                Pair y = random(t, 26 + n, -8.0, 8.0, 17, n);
                for (boolean log : new boolean[]{false, true}) {
                    Pair out = poisoned(t, 17, n);
                    CPU.softmax(y.cpu().view(), out.cpu().view(), log);
                    cl().softmax(y.cl().view(), out.cl().view(), log);
                    assertClose((log ? "logSoftmax " : "softmax ") + n + " " + t, out, accTol(t));
                }
            }
        }
    }
}
