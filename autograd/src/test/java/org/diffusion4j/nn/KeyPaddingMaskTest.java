package org.diffusion4j.nn;

import org.diffusion4j.autograd.GradCheck;
import org.diffusion4j.autograd.Inputs;
import org.diffusion4j.autograd.OpenClDevice;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Key padding masks in self-attention, the transformer block and cross-attention. The reference: attention with
 * padded keys masked must equal attention over the sequence with those keys removed (the same layer on a shorter
 * input), so the mask is checked against a computation that never saw the padding. Gradients by central differences
 * (F64) on the CPU and on OpenCL.
 */
class KeyPaddingMaskTest {
    private static final int N = 2, L = 5, E = 6, HEADS = 2;
    /** Sequence 0 has no padding; sequence 1 has padding at 1 and 3 (not only at the end). */
    private static final boolean[][] KEEP = {{true, true, true, true, true}, {true, false, true, false, true}};
    private static final int[] KEPT_OF_1 = {0, 2, 4};

    private static Inputs in(Backend b) { return new Inputs(b, DType.F64); }

    @Test void theMaskIsZeroOnKeptKeysAndMinusInfinityOnPaddingForEveryHead() {
        double[] m = KeyPaddingMask.additive(Backends.cpu(), DType.F64, KEEP, HEADS).toDoubleArray();
        assertEquals(N * HEADS * L, m.length);
        for (int i = 0; i < N; i++) for (int h = 0; h < HEADS; h++) for (int j = 0; j < L; j++) {
            assertEquals(KEEP[i][j] ? 0.0 : Double.NEGATIVE_INFINITY, m[(i * HEADS + h) * L + j], "seq " + i + " head " + h + " key " + j);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> KeyPaddingMask.additive(Backends.cpu(), DType.F64,
                new boolean[][]{{true}, {false}}, 1));
        assertTrue(e.getMessage().contains("sequence 1 has no key"), e.getMessage());
    }

    @Test void crossAttentionWithMaskedKeysEqualsCrossAttentionWithoutThem() {
        Backend cpu = Backends.cpu();
        CrossAttention att;
        try (Init init = Init.seeded(5, cpu, DType.F64)) { att = new CrossAttention(4, 3, HEADS, 2); }
        Tensor x = in(cpu).randn(1, N, 4, 3, 2), context = in(cpu).randn(2, N, L, 3);
        double[] masked = att.forward(Variable.constant(x), Variable.constant(context),
                KeyPaddingMask.additive(cpu, DType.F64, KEEP, HEADS)).value().toDoubleArray();
        double[] seq0 = att.forward(Variable.constant(x.narrow(0, 0, 1)), Variable.constant(context.narrow(0, 0, 1)))
                .value().toDoubleArray();
        double[] seq1 = att.forward(Variable.constant(x.narrow(0, 1, 1)), Variable.constant(context.narrow(0, 1, 1)
                .indexSelect(1, KEPT_OF_1))).value().toDoubleArray();
        int per = seq0.length;
        for (int i = 0; i < per; i++) {
            assertEquals(seq0[i], masked[i], 1e-12, "sequence 0, element " + i);
            assertEquals(seq1[i], masked[per + i], 1e-12, "sequence 1, element " + i);
        }
    }

    @Test void aMaskedTransformerBlockGivesTheRealTokensWhatTheShortSequenceGives() {
        Backend cpu = Backends.cpu();
        TransformerBlock block;
        try (Init init = Init.seeded(6, cpu, DType.F64)) { block = new TransformerBlock(E, HEADS, false); }
        Tensor x = in(cpu).randn(3, N, L, E);
        double[] masked = block.forward(Variable.constant(x), KeyPaddingMask.additive(cpu, DType.F64, KEEP, HEADS))
                .value().toDoubleArray();
        double[] shortSeq = block.forward(Variable.constant(x.narrow(0, 1, 1).indexSelect(1, KEPT_OF_1))).value().toDoubleArray();
        for (int k = 0; k < KEPT_OF_1.length; k++) for (int e = 0; e < E; e++) {
            assertEquals(shortSeq[k * E + e], masked[(L + KEPT_OF_1[k]) * E + e], 1e-12, "token " + KEPT_OF_1[k] + " feature " + e);
        }
        double[] full0 = block.forward(Variable.constant(x.narrow(0, 0, 1))).value().toDoubleArray();
        for (int i = 0; i < L * E; i++) assertEquals(full0[i], masked[i], 1e-12, "an unpadded sequence is unchanged");
    }

    @Test void maskedGradientsMatchCentralDifferencesOnCpu() { checkGradients(Backends.cpu()); }

    @Test void maskedGradientsMatchCentralDifferencesOnOpenCl() { checkGradients(OpenClDevice.backend()); }

    private static void checkGradients(Backend b) {
        TransformerBlock block;
        CrossAttention att;
        try (Init init = Init.seeded(7, b, DType.F64)) {
            block = new TransformerBlock(E, HEADS, false);
            att = new CrossAttention(4, E, HEADS, 2);
        }
        Tensor mask = KeyPaddingMask.additive(b, DType.F64, KEEP, HEADS);
        Tensor r = in(b).uniform(8, 0.5, 1.5, N, L, E), r2 = in(b).uniform(9, 0.5, 1.5, N, 4, 3, 2);
        double err = GradCheck.check(v -> block.forward(v[0], mask).mul(Variable.constant(r)), in(b).randn(10, N, L, E));
        assertTrue(err <= GradCheck.DEFAULT_TOLERANCE, "block: max error " + err);
        err = GradCheck.check(v -> att.forward(v[0], v[1], mask).mul(Variable.constant(r2)), in(b).randn(11, N, 4, 3, 2),
                in(b).randn(12, N, L, E));
        assertTrue(err <= GradCheck.DEFAULT_TOLERANCE, "cross-attention: max error " + err);
    }
}
