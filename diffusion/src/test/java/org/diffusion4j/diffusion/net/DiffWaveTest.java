package org.diffusion4j.diffusion.net;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Init;
import org.diffusion4j.nn.SinusoidalEmbedding;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class DiffWaveTest {
    static final DiffWaveConfig TINY = new DiffWaveConfig(3, 4, 3, 8, 11);

    static DiffWave network(DiffWaveConfig config, long seed) {
        try (Init init = Init.seeded(seed, Backends.cpu(), DType.F64)) { return new DiffWave(config); }
    }

    /** Every parameter replaced by N(0, 0.5^2) draws, so that the zero-initialised output does not hide anything. */
    static Map<String, double[]> randomise(DiffWave net, long seed) {
        Random r = new Random(seed);
        LinkedHashMap<String, Tensor> state = new LinkedHashMap<>();
        Map<String, double[]> plain = new LinkedHashMap<>();
        for (var e : net.stateDict().entrySet()) {
            double[] d = new double[(int) e.getValue().numel()];
            for (int i = 0; i < d.length; i++) d[i] = 0.5 * r.nextGaussian();
            state.put(e.getKey(), Tensor.of(Backends.cpu(), DType.F64, d, e.getValue().shape()));
            plain.put(e.getKey(), d);
        }
        net.loadStateDict(state);
        return plain;
    }

    static double[] linear(double[] w, double[] b, double[] x, int in, int out) {
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double acc = b == null ? 0 : b[o];
            for (int i = 0; i < in; i++) acc += w[o * in + i] * x[i];
            y[o] = acc;
        }
        return y;
    }

    /** [cout][L] = conv(x [cin][L]), kernel k, dilation d, same padding. */
    static double[][] conv(double[] w, double[] b, double[][] x, int cout, int k, int d) {
        int cin = x.length, len = x[0].length, pad = d * (k - 1) / 2;
        double[][] y = new double[cout][len];
        for (int o = 0; o < cout; o++) for (int t = 0; t < len; t++) {
            double acc = b[o];
            for (int i = 0; i < cin; i++) for (int j = 0; j < k; j++) {
                int s = t - pad + j * d;
                if (s >= 0 && s < len) acc += w[(o * cin + i) * k + j] * x[i][s];
            }
            y[o][t] = acc;
        }
        return y;
    }

    static double silu(double v) { return v / (1 + Math.exp(-v)); }

    /** DiffWave for one clip, written out in float64 from the paper's description and the parameter names. */
    static double[] reference(Map<String, double[]> p, DiffWaveConfig c, double[] x, double t, int label) {
        int ch = c.residualChannels(), e = c.stepWidth(), len = x.length;
        double[] f = new SinusoidalEmbedding(128).frequencies(), sin = new double[128];
        for (int i = 0; i < 64; i++) { sin[i] = Math.sin(t * f[i]); sin[64 + i] = Math.cos(t * f[i]); }
        double[] emb = linear(p.get("step_in.weight"), p.get("step_in.bias"), sin, 128, e);
        for (int i = 0; i < e; i++) emb[i] = silu(emb[i]);
        emb = linear(p.get("step_out.weight"), p.get("step_out.bias"), emb, e, e);
        for (int i = 0; i < e; i++) emb[i] = silu(emb[i]);
        if (label >= 0) for (int i = 0; i < e; i++) emb[i] += p.get("class_embedding.weight")[i * c.classes() + label];
        double[][] h = conv(p.get("input.weight"), p.get("input.bias"), new double[][]{x}, ch, 1, 1);
        for (double[] row : h) for (int i = 0; i < len; i++) row[i] = Math.max(0, row[i]);
        double[][] skip = new double[ch][len];
        for (int l = 0; l < c.layers(); l++) {
            String n = "layers." + l + ".";
            double[] d = linear(p.get(n + "step.weight"), p.get(n + "step.bias"), emb, e, ch);
            double[][] in = new double[ch][len];
            for (int k = 0; k < ch; k++) for (int i = 0; i < len; i++) in[k][i] = h[k][i] + d[k];
            double[][] y = conv(p.get(n + "dilated.weight"), p.get(n + "dilated.bias"), in, 2 * ch, 3, 1 << (l % c.dilationCycle()));
            double[][] g = new double[ch][len];
            for (int k = 0; k < ch; k++) for (int i = 0; i < len; i++) g[k][i] = Math.tanh(y[k][i]) / (1 + Math.exp(-y[ch + k][i]));
            double[][] o = conv(p.get(n + "projection.weight"), p.get(n + "projection.bias"), g, 2 * ch, 1, 1);
            for (int k = 0; k < ch; k++) for (int i = 0; i < len; i++) {
                h[k][i] = (h[k][i] + o[k][i]) / Math.sqrt(2);
                skip[k][i] += o[ch + k][i];
            }
        }
        for (double[] row : skip) for (int i = 0; i < len; i++) row[i] /= Math.sqrt(c.layers());
        double[][] s = conv(p.get("skip_projection.weight"), p.get("skip_projection.bias"), skip, ch, 1, 1);
        for (double[] row : s) for (int i = 0; i < len; i++) row[i] = Math.max(0, row[i]);
        return conv(p.get("output.weight"), p.get("output.bias"), s, 1, 1, 1)[0];
    }

    @Test void matchesAPlainFloat64ForwardWithAndWithoutLabels() {
        DiffWave net = network(TINY, 1);
        Map<String, double[]> p = randomise(net, 2);
        Random r = new Random(3);
        int n = 3, len = 33;
        double[] x = new double[n * len];
        for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian();
        double[] t = {0, 17, 999};
        int[] labels = {4, 10, 0};
        Tensor xt = Tensor.of(Backends.cpu(), DType.F64, x, n, 1, len), tt = Tensor.of(Backends.cpu(), DType.F64, t, n);
        double[] withLabels = net.forward(Variable.constant(xt), tt, Conditioning.labels(labels, 10)).value().toDoubleArray();
        double[] without = net.forward(Variable.constant(xt), tt, Conditioning.NONE).value().toDoubleArray();
        for (int s = 0; s < n; s++) {
            double[] clip = java.util.Arrays.copyOfRange(x, s * len, (s + 1) * len);
            double[] a = reference(p, TINY, clip, t[s], labels[s]), b = reference(p, TINY, clip, t[s], -1);
            for (int i = 0; i < len; i++) {
                assertEquals(a[i], withLabels[s * len + i], 1e-10 * (1 + Math.abs(a[i])), "labelled sample " + s + " at " + i);
                assertEquals(b[i], without[s * len + i], 1e-10 * (1 + Math.abs(b[i])), "unlabelled sample " + s + " at " + i);
            }
        }
    }

    /** An input sample reaches exactly the outputs within half the receptive field: the dilations are as stated. */
    @Test void theReceptiveFieldIsTheDilationsSum() {
        DiffWaveConfig c = new DiffWaveConfig(2, 3, 2, 8, 0);       // dilations 1, 2, 1: field 1 + 2 (1 + 2 + 1) = 9
        assertEquals(9, c.receptiveField());
        DiffWave net = network(c, 4);
        randomise(net, 5);
        int len = 31, centre = 15;
        Tensor t = Tensor.of(Backends.cpu(), DType.F64, new double[]{5}, 1);
        double[] base = new double[len];
        double[] bumped = base.clone();
        bumped[centre] = 1;
        double[] y0 = net.forward(Variable.constant(Tensor.of(Backends.cpu(), DType.F64, base, 1, 1, len)), t, null).value().toDoubleArray();
        double[] y1 = net.forward(Variable.constant(Tensor.of(Backends.cpu(), DType.F64, bumped, 1, 1, len)), t, null).value().toDoubleArray();
        for (int i = 0; i < len; i++) {
            boolean inside = Math.abs(i - centre) <= 4;
            if (!inside) assertEquals(y0[i], y1[i], 0.0, "output " + i + " must not see input " + centre);
        }
        assertNotEquals(y0[centre - 4], y1[centre - 4]);
        assertNotEquals(y0[centre + 4], y1[centre + 4]);
    }

    @Test void startsAtZeroAndRejectsWhatItCannotRead() {
        DiffWave net = network(new DiffWaveConfig(4, 2, 2, 8, 0), 6);
        Tensor x = Tensor.randn(Backends.cpu(), DType.F64, 7, 0, 2, 1, 20), t = Tensor.full(Backends.cpu(), DType.F64, 3, 2);
        assertEquals(0.0, net.forward(Variable.constant(x), t, null).value().abs().sum().item());
        var shape = assertThrows(IllegalArgumentException.class, () -> net.forward(Variable.constant(x.reshape(2, 20)), t, null));
        assertTrue(shape.getMessage().contains("[N, 1, L], got [2, 20]"), shape.getMessage());
        var labels = assertThrows(IllegalArgumentException.class, () -> net.forward(Variable.constant(x), t, Conditioning.labels(new int[]{1, 2})));
        assertTrue(labels.getMessage().contains("no classes"), labels.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DiffWaveConfig(4, 2, 0, 8, 0));
    }
}
