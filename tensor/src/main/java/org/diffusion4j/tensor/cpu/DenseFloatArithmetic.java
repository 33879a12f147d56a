package org.diffusion4j.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.diffusion4j.tensor.BinaryOp;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.View;

/**
 * The fast path of {@link Elementwise#binary} for F32 +, -, *, / on a dense output and dense (or
 * broadcast scalar) inputs: FloatVector arithmetic straight on the arrays, without the double buffers.
 * A float operation is correctly rounded, and so is the general path's double operation rounded to float
 * (double has more than twice float's precision), so both paths give the same bits.
 */
final class DenseFloatArithmetic {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int CHUNK = 1 << 14;

    private DenseFloatArithmetic() { }

    /** Runs the op and returns true when the operands qualify; returns false (doing nothing) otherwise. */
    static boolean tryBinary(BinaryOp op, View x, View y, View out) {
        VectorOperators.Binary vop = switch (op) {
            case ADD -> VectorOperators.ADD;
            case SUB -> VectorOperators.SUB;
            case MUL -> VectorOperators.MUL;
            case DIV -> VectorOperators.DIV;
            default -> null;
        };
        if (vop == null || x.dtype() != DType.F32 || y.dtype() != DType.F32 || out.dtype() != DType.F32) return false;
        if (!java.util.Arrays.equals(x.shape(), out.shape()) || !java.util.Arrays.equals(y.shape(), out.shape())) return false;
        StridedLayout layout = StridedLayout.of(op.name().toLowerCase(), out, x, y);
        boolean yScalar = layout.isScalar(2);
        if (!layout.isDense(0) || !layout.isDense(1) || !(layout.isDense(2) || yScalar)) return false;
        float[] o = CpuStorage.of(out).floats(), a = CpuStorage.of(x).floats(), b = CpuStorage.of(y).floats();
        int n = layout.numel, oo = out.offset(), ao = x.offset(), bo = y.offset();
        Parallel.forRange((n + CHUNK - 1) / CHUNK, CHUNK, (c0, c1) -> {
            int start = c0 * CHUNK, end = Math.min(n, c1 * CHUNK), j = start;
            if (yScalar) {
                float bv = b[bo];
                for (int bound = start + S.loopBound(end - start); j < bound; j += S.length())
                    FloatVector.fromArray(S, a, ao + j).lanewise(vop, bv).intoArray(o, oo + j);
                for (; j < end; j++) o[oo + j] = apply(op, a[ao + j], bv);
            } else {
                for (int bound = start + S.loopBound(end - start); j < bound; j += S.length())
                    FloatVector.fromArray(S, a, ao + j).lanewise(vop, FloatVector.fromArray(S, b, bo + j)).intoArray(o, oo + j);
                for (; j < end; j++) o[oo + j] = apply(op, a[ao + j], b[bo + j]);
            }
        });
        return true;
    }

    private static float apply(BinaryOp op, float u, float v) {
        return switch (op) {
            case ADD -> u + v;
            case SUB -> u - v;
            case MUL -> u * v;
            case DIV -> u / v;
            default -> throw new IllegalArgumentException("DenseFloatArithmetic: " + op);
        };
    }
}
