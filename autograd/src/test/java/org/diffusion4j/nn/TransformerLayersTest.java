package org.diffusion4j.nn;

import org.diffusion4j.autograd.GradCheck;
import org.diffusion4j.autograd.Inputs;
import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.OpenClDevice;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The transformer pieces (LayerNorm, Embedding, causal and bidirectional sequence attention, the pre-norm block,
 * TokenTransformer): forwards against float64 loops, gradients by central differences (F64) on the CPU and on
 * OpenCL, and OpenCL against the CPU. Odd sizes: 2 sequences of 5 tokens, width 6, 2 heads.
 */
class TransformerLayersTest {
    private static final int N = 2, L = 5, E = 6, HEADS = 2, VOCAB = 7;
    private static final int[] IDS = {3, 0, 6, 3, 1, 2, 2, 5, 0, 4};

    private static Inputs in(Backend b) { return new Inputs(b, DType.F64); }

    private static TokenTransformer model(Backend b, boolean causal) {
        try (Init init = Init.seeded(23, b, DType.F64)) {
            return new TokenTransformer(new TokenTransformer.Config(VOCAB, VOCAB - 1, 8, E, 2, HEADS, causal));
        }
    }

    // ---------------------------------------------------------------------------------------- float64 references

    @Test void layerNormMatchesAFloat64Loop() {
        LayerNorm ln;
        try (Init init = Init.seeded(3, Backends.cpu(), DType.F64)) { ln = new LayerNorm(E); }
        double[] gamma = Inputs.uniform(4, E, 0.5, 1.5), beta = Inputs.normal(5, E);
        ln.namedParameters().get("weight").assign(Tensor.of(Backends.cpu(), gamma, E));
        ln.namedParameters().get("bias").assign(Tensor.of(Backends.cpu(), beta, E));
        Tensor x = in(Backends.cpu()).randn(6, N, L, E);
        double[] xs = x.toDoubleArray(), y = ln.forward(Variable.constant(x)).value().toDoubleArray();
        for (int row = 0; row < N * L; row++) {
            double mean = 0, var = 0;
            for (int e = 0; e < E; e++) mean += xs[row * E + e] / E;
            for (int e = 0; e < E; e++) var += (xs[row * E + e] - mean) * (xs[row * E + e] - mean) / E;
            for (int e = 0; e < E; e++) assertEquals((xs[row * E + e] - mean) / Math.sqrt(var + 1e-5) * gamma[e] + beta[e],
                    y[row * E + e], 1e-12, "row " + row + " feature " + e);
        }
    }

    @Test void causalAttentionMatchesAFloat64Loop() {
        Backend b = Backends.cpu();
        int d = 3;
        Tensor q = in(b).randn(7, N, L, d), k = in(b).randn(8, N, L, d), v = in(b).randn(9, N, L, d);
        double scale = 1 / Math.sqrt(d);
        double[] out = Variable.attention(Variable.constant(q), Variable.constant(k), Variable.constant(v),
                SequenceSelfAttention.causalMask(b, DType.F64, L), scale).value().toDoubleArray();
        double[] qs = q.toDoubleArray(), ks = k.toDoubleArray(), vs = v.toDoubleArray();
        for (int n = 0; n < N; n++) for (int i = 0; i < L; i++) {
            double[] w = new double[i + 1];
            double z = 0;
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int t = 0; t < d; t++) s += qs[(n * L + i) * d + t] * ks[(n * L + j) * d + t];
                w[j] = Math.exp(s * scale);
                z += w[j];
            }
            for (int t = 0; t < d; t++) {
                double s = 0;
                for (int j = 0; j <= i; j++) s += w[j] / z * vs[(n * L + j) * d + t];
                assertEquals(s, out[(n * L + i) * d + t], 1e-12, "sequence " + n + " position " + i);
            }
        }
    }

    @Test void aCausalModelIgnoresLaterTokensAndABidirectionalOneDoesNot() {
        int[] changed = IDS.clone();
        changed[3] = 5;                                    // sequence 0, position 3
        for (boolean causal : new boolean[]{true, false}) {
            TokenTransformer m = model(Backends.cpu(), causal);
            double[] a, c;
            try (NoGrad g = NoGrad.enter()) {
                a = m.forward(IDS, N, L).value().toDoubleArray();
                c = m.forward(changed, N, L).value().toDoubleArray();
            }
            int per = VOCAB - 1;
            double before = 0, after = 0;
            for (int i = 0; i < 3 * per; i++) before = Math.max(before, Math.abs(a[i] - c[i]));
            for (int i = 3 * per; i < 4 * per; i++) after = Math.max(after, Math.abs(a[i] - c[i]));
            if (causal) assertEquals(0.0, before, 0.0, "a causal model's positions 0..2 saw position 3");
            else assertTrue(before > 1e-6, "a bidirectional model's positions 0..2 did not see position 3");
            assertTrue(after > 1e-6, "position 3 did not see its own token");
        }
    }

    @Test void embeddingPicksRowsAndCountsParameters() {
        Embedding emb;
        try (Init init = Init.seeded(1, Backends.cpu(), DType.F64)) { emb = new Embedding(VOCAB, E); }
        double[] w = emb.weight().value().toDoubleArray(), y = emb.forward(IDS, N, L).value().toDoubleArray();
        for (int i = 0; i < IDS.length; i++) for (int e = 0; e < E; e++) assertEquals(w[IDS[i] * E + e], y[i * E + e], 0.0);
        TokenTransformer m = model(Backends.cpu(), false);
        // embeddings 7*6 + 8*6, two blocks of 12 E^2 + 13 E, final norm 2E, head 6*6 + 6
        assertEquals(7 * 6 + 8 * 6 + 2 * (12 * 36 + 13 * 6) + 12 + 42, m.parameterCount());
        assertEquals(m.parameterCount(), model(Backends.cpu(), true).parameterCount());
    }

    // ---------------------------------------------------------------------------------------- gradients

    @Test void gradientsMatchCentralDifferencesOnCpu() { checkGradients(Backends.cpu()); }

    @Test void gradientsMatchCentralDifferencesOnOpenCl() { checkGradients(OpenClDevice.backend()); }

    private static void checkGradients(Backend b) {
        Inputs in = in(b);
        LayerNorm ln;
        TransformerBlock causal, bidirectional;
        try (Init init = Init.seeded(31, b, DType.F64)) {
            ln = new LayerNorm(E);
            causal = new TransformerBlock(E, HEADS, true);
            bidirectional = new TransformerBlock(E, HEADS, false);
        }
        Tensor x = in.randn(11, N, L, E), r = in.uniform(12, 0.5, 1.5, N, L, E);
        assertGrad(v -> ln.forward(v[0]).mul(Variable.constant(r)), x);
        assertGrad(v -> causal.forward(v[0]).mul(Variable.constant(r)), x);
        assertGrad(v -> bidirectional.forward(v[0]).mul(Variable.constant(r)), x);
        Tensor mask = SequenceSelfAttention.causalMask(b, DType.F64, L);
        assertGrad(v -> Variable.attention(v[0], v[1], v[2], mask, 0.6), in.randn(13, N, L, 3), in.randn(14, N, L, 3),
                in.randn(15, N, L, 4));
        // an embedding's gradient with repeated ids (3, 2 and 0 twice) adds their rows up
        assertGrad(v -> Variable.indexSelect(v[0], 0, IDS).mul(Variable.constant(in.uniform(16, 0.5, 1.5, IDS.length, E))),
                in.randn(17, VOCAB, E));
        checkParameterGradients(model(b, true), b);
        checkParameterGradients(model(b, false), b);
    }

    private static void assertGrad(java.util.function.Function<Variable[], Variable> f, Tensor... x) {
        double err = GradCheck.check(f, x);
        assertTrue(err <= GradCheck.DEFAULT_TOLERANCE, "max error " + err);
    }

    /** dLoss/dparameter against central differences at three elements of every parameter tensor. */
    private static void checkParameterGradients(TokenTransformer m, Backend b) {
        Tensor r = in(b).uniform(18, 0.5, 1.5, N, L, VOCAB - 1);
        m.zeroGrad();
        m.forward(IDS, N, L).mul(Variable.constant(r)).sum().backward();
        double h = 1e-6;
        for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
            Parameter p = e.getValue();
            assertNotNull(p.grad(), e.getKey() + " received no gradient");
            double[] base = p.value().toDoubleArray(), analytic = p.grad().toDoubleArray();
            for (int i : new int[]{0, base.length / 2, base.length - 1}) {
                Tensor original = p.value();
                double[] plus = base.clone(), minus = base.clone();
                plus[i] += h;
                minus[i] -= h;
                p.assign(Tensor.of(b, DType.F64, plus, p.shape()));
                double lp = lossValue(m, r);
                p.assign(Tensor.of(b, DType.F64, minus, p.shape()));
                double lm = lossValue(m, r);
                p.assign(original);
                double numeric = (lp - lm) / (2 * h);
                assertEquals(numeric, analytic[i], 1e-6 * Math.max(1, Math.abs(numeric)), e.getKey() + "[" + i + "]");
            }
        }
    }

    private static double lossValue(TokenTransformer m, Tensor r) {
        try (NoGrad g = NoGrad.enter()) { return m.forward(IDS, N, L).mul(Variable.constant(r)).sum().value().item(); }
    }

    @Test void openClForwardAndGradientsMatchTheCpu() {
        Backend cl = OpenClDevice.backend();
        for (boolean causal : new boolean[]{true, false}) {
            TokenTransformer onCpu = model(Backends.cpu(), causal), onCl = model(cl, causal);
            Variable yc = onCpu.forward(IDS, N, L), yg = onCl.forward(IDS, N, L);
            assertArrayEquals(yc.value().toDoubleArray(), yg.value().toDoubleArray(), 1e-10);
            yc.square().sum().backward();
            yg.square().sum().backward();
            for (String name : onCpu.namedParameters().keySet()) assertArrayEquals(
                    onCpu.namedParameters().get(name).grad().toDoubleArray(),
                    onCl.namedParameters().get(name).grad().toDoubleArray(), 1e-9, name);
        }
    }

    @Test void badInputsAreNamed() {
        TokenTransformer m = model(Backends.cpu(), false);
        var e = assertThrows(IllegalArgumentException.class, () -> m.forward(new int[]{0, 9}, 1, 2));
        assertTrue(e.getMessage().contains("id 9") && e.getMessage().contains("0..6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.forward(new int[9], 1, 9));
        assertTrue(e.getMessage().contains("length 9"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LayerNorm(E).forward(Variable.constant(
                Tensor.zeros(Backends.cpu(), DType.F64, 2, 5))));
        assertTrue(e.getMessage().contains("last axis must be 6") && e.getMessage().contains("[2, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SequenceSelfAttention(6, 4, true));
        assertTrue(e.getMessage().contains("heads (4)"), e.getMessage());
    }
}
