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
 * {@link CrossAttention}: the forward against a float64 loop, gradients by central differences (F64) on the CPU and
 * on OpenCL, and OpenCL against the CPU. Key length S = 5 differs from the H*W = 6 query positions.
 */
class CrossAttentionTest {
    private static final int N = 2, C = 4, H = 3, W = 2, S = 5, E = 3, HEADS = 2, GROUPS = 2;

    private static CrossAttention layer(Backend b) {
        try (Init init = Init.seeded(17, b, DType.F64)) { return new CrossAttention(C, E, HEADS, GROUPS); }
    }

    private static Tensor x(Backend b) { return new Inputs(b, DType.F64).randn(3, N, C, H, W); }

    private static Tensor context(Backend b) { return new Inputs(b, DType.F64).randn(4, N, S, E); }

    @Test void forwardMatchesAFloat64Loop() {
        CrossAttention att = layer(Backends.cpu());
        Tensor xt = x(Backends.cpu()), ct = context(Backends.cpu());
        double[] out = att.forward(Variable.constant(xt), Variable.constant(ct)).value().toDoubleArray();
        Map<String, Parameter> p = att.namedParameters();
        double[] xs = xt.toDoubleArray(), cx = ct.toDoubleArray();
        int l = H * W, d = C / HEADS;
        double[] wq = p.get("q.weight").value().toDoubleArray(), bq = p.get("q.bias").value().toDoubleArray();
        double[] wk = p.get("k.weight").value().toDoubleArray(), wv = p.get("v.weight").value().toDoubleArray();
        double[] wp = p.get("proj.weight").value().toDoubleArray(), bp = p.get("proj.bias").value().toDoubleArray();
        for (int b = 0; b < N; b++) {
            // group norm (gamma 1, beta 0 at initialisation), 2 channels per group
            double[] hn = new double[C * l];
            for (int g = 0; g < GROUPS; g++) {
                int from = b * C * l + g * (C / GROUPS) * l, cnt = (C / GROUPS) * l;
                double mean = 0, var = 0;
                for (int i = 0; i < cnt; i++) mean += xs[from + i];
                mean /= cnt;
                for (int i = 0; i < cnt; i++) var += (xs[from + i] - mean) * (xs[from + i] - mean);
                var /= cnt;
                for (int i = 0; i < cnt; i++) hn[g * cnt + i] = (xs[from + i] - mean) / Math.sqrt(var + 1e-5);
            }
            double[][] q = new double[l][C], k = new double[S][C], v = new double[S][C];
            for (int i = 0; i < l; i++) for (int o = 0; o < C; o++) {
                double s = bq[o];
                for (int ch = 0; ch < C; ch++) s += wq[o * C + ch] * hn[ch * l + i];
                q[i][o] = s;
            }
            for (int j = 0; j < S; j++) for (int o = 0; o < C; o++) {
                double sk = 0, sv = 0;
                for (int e = 0; e < E; e++) {
                    sk += wk[o * E + e] * cx[(b * S + j) * E + e];
                    sv += wv[o * E + e] * cx[(b * S + j) * E + e];
                }
                k[j][o] = sk;
                v[j][o] = sv;
            }
            double[][] a = new double[l][C];
            for (int head = 0; head < HEADS; head++) for (int i = 0; i < l; i++) {
                double[] logit = new double[S];
                double mx = Double.NEGATIVE_INFINITY, z = 0;
                for (int j = 0; j < S; j++) {
                    double s = 0;
                    for (int t = 0; t < d; t++) s += q[i][head * d + t] * k[j][head * d + t];
                    logit[j] = s / Math.sqrt(d);
                    mx = Math.max(mx, logit[j]);
                }
                for (int j = 0; j < S; j++) z += Math.exp(logit[j] - mx);
                for (int t = 0; t < d; t++) {
                    double s = 0;
                    for (int j = 0; j < S; j++) s += Math.exp(logit[j] - mx) / z * v[j][head * d + t];
                    a[i][head * d + t] = s;
                }
            }
            for (int o = 0; o < C; o++) for (int i = 0; i < l; i++) {
                double s = bp[o];
                for (int ch = 0; ch < C; ch++) s += wp[o * C + ch] * a[i][ch];
                int idx = b * C * l + o * l + i;
                assertEquals(xs[idx] + s, out[idx], 1e-10, "sample " + b + " channel " + o + " position " + i);
            }
        }
    }

    @Test void inputAndContextGradientsMatchCentralDifferencesOnCpu() {
        checkInputGradients(Backends.cpu());
    }

    @Test void inputAndContextGradientsMatchCentralDifferencesOnOpenCl() {
        checkInputGradients(OpenClDevice.backend());
    }

    private static void checkInputGradients(Backend b) {
        CrossAttention att = layer(b);
        Tensor r = new Inputs(b, DType.F64).uniform(6, 0.5, 1.5, N, C, H, W);
        double err = GradCheck.check(v -> att.forward(v[0], v[1]).mul(Variable.constant(r)), x(b), context(b));
        assertTrue(err <= GradCheck.DEFAULT_TOLERANCE, "max error " + err);
    }

    @Test void parameterGradientsMatchCentralDifferencesOnCpu() {
        CrossAttention att = layer(Backends.cpu());
        Tensor xt = x(Backends.cpu()), ct = context(Backends.cpu());
        loss(att, xt, ct).backward();
        double h = 1e-6;
        for (Map.Entry<String, Parameter> e : att.namedParameters().entrySet()) {
            Parameter p = e.getValue();
            assertNotNull(p.grad(), e.getKey() + " received no gradient");
            double[] base = p.value().toDoubleArray(), analytic = p.grad().toDoubleArray();
            for (int i : new int[]{0, base.length / 2, base.length - 1}) {
                double[] plus = base.clone(), minus = base.clone();
                plus[i] += h;
                minus[i] -= h;
                Tensor original = p.value();
                p.assign(Tensor.of(Backends.cpu(), plus, p.shape()));
                double lp = lossValue(att, xt, ct);
                p.assign(Tensor.of(Backends.cpu(), minus, p.shape()));
                double lm = lossValue(att, xt, ct);
                p.assign(original);
                double numeric = (lp - lm) / (2 * h);
                assertEquals(numeric, analytic[i], 1e-6 * Math.max(1, Math.abs(numeric)), e.getKey() + "[" + i + "]");
            }
        }
    }

    @Test void openClForwardAndGradientsMatchTheCpu() {
        Backend cl = OpenClDevice.backend();
        CrossAttention onCpu = layer(Backends.cpu()), onCl = layer(cl);
        Variable xc = Variable.parameter(x(Backends.cpu())), cc = Variable.parameter(context(Backends.cpu()));
        Variable xg = Variable.parameter(x(cl)), cg = Variable.parameter(context(cl));
        Variable yc = onCpu.forward(xc, cc), yg = onCl.forward(xg, cg);
        assertArrayEquals(yc.value().toDoubleArray(), yg.value().toDoubleArray(), 1e-10);
        yc.square().sum().backward();
        yg.square().sum().backward();
        assertArrayEquals(xc.grad().toDoubleArray(), xg.grad().toDoubleArray(), 1e-9);
        assertArrayEquals(cc.grad().toDoubleArray(), cg.grad().toDoubleArray(), 1e-9);
        for (String name : onCpu.namedParameters().keySet()) {
            assertArrayEquals(onCpu.namedParameters().get(name).grad().toDoubleArray(),
                    onCl.namedParameters().get(name).grad().toDoubleArray(), 1e-9, name);
        }
    }

    @Test void badShapesAreNamed() {
        CrossAttention att = layer(Backends.cpu());
        Variable xv = Variable.constant(x(Backends.cpu()));
        var e = assertThrows(IllegalArgumentException.class, () -> att.forward(xv,
                Variable.constant(Tensor.zeros(Backends.cpu(), DType.F64, N, S, E + 1))));
        assertTrue(e.getMessage().contains("[2, S, 3]") && e.getMessage().contains("[2, 5, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CrossAttention(6, 3, 4, 2));
        assertTrue(e.getMessage().contains("heads"), e.getMessage());
    }

    private static Variable loss(CrossAttention att, Tensor x, Tensor c) {
        Variable y = att.forward(Variable.constant(x), Variable.constant(c));
        Tensor r = new Inputs(x.backend(), x.dtype()).uniform(6, 0.5, 1.5, y.shape());
        return y.mul(Variable.constant(r)).sum();
    }

    private static double lossValue(CrossAttention att, Tensor x, Tensor c) {
        try (NoGrad g = NoGrad.enter()) { return loss(att, x, c).value().item(); }
    }
}
