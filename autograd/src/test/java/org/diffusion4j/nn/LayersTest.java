package org.diffusion4j.nn;

import org.diffusion4j.autograd.Inputs;
import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Layer outputs against float64 loops written plainly. */
class LayersTest {
    private final Inputs in = new Inputs(Backends.cpu(), DType.F64);

    @Test void linearMatchesLoop() {
        Linear lin;
        try (Init init = Init.seeded(3, Backends.cpu(), DType.F64)) { lin = new Linear(5, 3); }
        Tensor x = in.randn(1, 2, 4, 5);
        double[] y = lin.forward(Variable.constant(x)).value().toDoubleArray();
        double[] w = lin.weight().value().toDoubleArray(), b = lin.bias().value().toDoubleArray(), xs = x.toDoubleArray();
        for (int r = 0; r < 8; r++) {
            for (int o = 0; o < 3; o++) {
                double s = b[o];
                for (int i = 0; i < 5; i++) s += xs[r * 5 + i] * w[o * 5 + i];
                assertEquals(s, y[r * 3 + o], 1e-12);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lin.forward(Variable.constant(in.randn(2, 2, 4))));
        assertTrue(e.getMessage().contains("5"), e.getMessage());
    }

    @Test void sinusoidalEmbeddingMatchesTheFormula() {
        int dim = 10, half = 5;
        double[] ts = {0, 1, 17.5, 999};
        double[] emb = new SinusoidalEmbedding(dim).forward(in.of(ts, 4)).toDoubleArray();
        for (int b = 0; b < 4; b++) {
            for (int i = 0; i < half; i++) {
                double f = Math.exp(-Math.log(10000) * i / (half - 1));
                assertEquals(Math.sin(ts[b] * f), emb[b * dim + i], 1e-12);
                assertEquals(Math.cos(ts[b] * f), emb[b * dim + half + i], 1e-12);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new SinusoidalEmbedding(7));
    }

    @Test void selfAttentionMatchesLoops() {
        int n = 2, c = 4, h = 3, w = 2, l = h * w;
        SelfAttention2d att;
        try (Init init = Init.seeded(9, Backends.cpu(), DType.F64)) { att = new SelfAttention2d(c, 2); }
        Tensor x = in.randn(4, n, c, h, w);
        double[] out = att.forward(Variable.constant(x)).value().toDoubleArray();
        var p = att.namedParameters();
        double[] xs = x.toDoubleArray();
        // group norm with 2 groups, gamma 1, beta 0
        double[] hn = new double[xs.length];
        for (int b = 0; b < n; b++) for (int g = 0; g < 2; g++) {
            int from = b * c * l + g * 2 * l, cnt = 2 * l;
            double mean = 0, var = 0;
            for (int i = 0; i < cnt; i++) mean += xs[from + i];
            mean /= cnt;
            for (int i = 0; i < cnt; i++) var += (xs[from + i] - mean) * (xs[from + i] - mean);
            var /= cnt;
            for (int i = 0; i < cnt; i++) hn[from + i] = (xs[from + i] - mean) / Math.sqrt(var + 1e-5);
        }
        double[][] q = conv1x1(hn, p.get("q.weight").value().toDoubleArray(), p.get("q.bias").value().toDoubleArray(), n, c, l);
        double[][] k = conv1x1(hn, p.get("k.weight").value().toDoubleArray(), p.get("k.bias").value().toDoubleArray(), n, c, l);
        double[][] v = conv1x1(hn, p.get("v.weight").value().toDoubleArray(), p.get("v.bias").value().toDoubleArray(), n, c, l);
        double[] a = new double[xs.length]; // [n, c, l]
        for (int b = 0; b < n; b++) for (int i = 0; i < l; i++) {
            double[] logits = new double[l];
            double mx = -Double.MAX_VALUE;
            for (int j = 0; j < l; j++) {
                double s = 0;
                for (int ch = 0; ch < c; ch++) s += q[b][ch * l + i] * k[b][ch * l + j];
                logits[j] = s / Math.sqrt(c);
                mx = Math.max(mx, logits[j]);
            }
            double z = 0;
            for (int j = 0; j < l; j++) z += Math.exp(logits[j] - mx);
            for (int ch = 0; ch < c; ch++) {
                double s = 0;
                for (int j = 0; j < l; j++) s += Math.exp(logits[j] - mx) / z * v[b][ch * l + j];
                a[b * c * l + ch * l + i] = s;
            }
        }
        double[][] proj = conv1x1(a, p.get("proj.weight").value().toDoubleArray(), p.get("proj.bias").value().toDoubleArray(), n, c, l);
        for (int b = 0; b < n; b++) for (int i = 0; i < c * l; i++) {
            assertEquals(xs[b * c * l + i] + proj[b][i], out[b * c * l + i], 1e-10);
        }
    }

    private static double[][] conv1x1(double[] x, double[] wt, double[] bias, int n, int c, int l) {
        double[][] out = new double[n][c * l];
        for (int b = 0; b < n; b++) for (int o = 0; o < c; o++) for (int i = 0; i < l; i++) {
            double s = bias[o];
            for (int ch = 0; ch < c; ch++) s += wt[o * c + ch] * x[b * c * l + ch * l + i];
            out[b][o * l + i] = s;
        }
        return out;
    }

    @Test void dropoutIsIdentityInEvalAndScalesKeptElements() {
        Dropout d = new Dropout(0.3);
        Tensor x = in.uniform(5, 1, 2, 64, 129);
        d.eval();
        assertSame(x, d.forward(Variable.constant(x)).value());
        d.train();
        d.setRandomState(new RandomState(11));
        double[] xs = x.toDoubleArray(), y = d.forward(Variable.constant(x)).value().toDoubleArray();
        int dropped = 0;
        for (int i = 0; i < xs.length; i++) {
            if (y[i] == 0) dropped++;
            else assertEquals(xs[i] / 0.7, y[i], 1e-12);
        }
        // binomial(n, 0.3): mean 0.3 n, sd sqrt(0.21 n); allow 5 sd
        int nEl = xs.length;
        assertEquals(0.3 * nEl, dropped, 5 * Math.sqrt(0.21 * nEl));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0));
    }

    @Test void dropoutMasksArePureFunctionsOfSeedStepAndCall() {
        Tensor x = Tensor.ones(Backends.cpu(), DType.F32, 4, 50);
        RandomState state = new RandomState(7);
        Sequential net = new Sequential(new Dropout(0.5));
        net.setRandomState(state);
        float[] step0a = net.forward(Variable.constant(x)).value().toFloatArray();
        float[] step0b = net.forward(Variable.constant(x)).value().toFloatArray();
        assertFalse(java.util.Arrays.equals(step0a, step0b), "two calls in one step get different masks");
        state.advance();
        float[] step1 = net.forward(Variable.constant(x)).value().toFloatArray();
        assertFalse(java.util.Arrays.equals(step0a, step1));

        // a "resumed" run: fresh objects, counter restored
        RandomState resumed = new RandomState(7);
        Sequential net2 = new Sequential(new Dropout(0.5));
        net2.setRandomState(resumed);
        resumed.setStep(1);
        assertArrayEquals(step1, net2.forward(Variable.constant(x)).value().toFloatArray());
        resumed.setStep(0);
        assertArrayEquals(step0a, net2.forward(Variable.constant(x)).value().toFloatArray());

        // sample r's mask does not depend on the batch size
        resumed.setStep(5);
        float[] big = net2.forward(Variable.constant(x)).value().toFloatArray();
        resumed.setStep(5);
        net2.setRandomState(resumed);
        float[] small = net2.forward(Variable.constant(x.narrow(0, 0, 2).contiguous())).value().toFloatArray();
        assertArrayEquals(java.util.Arrays.copyOf(big, 100), small);
    }

    @Test void groupNormSiluLayerAgreesWithAndWithoutGrad() {
        GroupNorm gn;
        try (Init init = Init.seeded(2, Backends.cpu(), DType.F64)) { gn = new GroupNorm(3, 6); }
        Tensor x = in.randn(8, 2, 6, 3, 3);
        double[] taped = gn.forwardSilu(Variable.constant(x)).value().toDoubleArray();
        double[] fused;
        try (NoGrad g = NoGrad.enter()) { fused = gn.forwardSilu(Variable.constant(x)).value().toDoubleArray(); }
        double[] plain = gn.forward(Variable.constant(x)).silu().value().toDoubleArray();
        assertArrayEquals(plain, taped, 1e-12);
        assertArrayEquals(plain, fused, 1e-12);
    }
}
