package org.diffusion4j.nn;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.OpenClDevice;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * SelfAttention2d without a tape runs q, k, v as one GEMM over the joined weights and the projection with its bias and
 * residual in a GEMM's epilogue. Its output must equal a float64 loop of the definition (GN, 1x1 convolutions,
 * softmax(q k^T / sqrt(C)) v, projection, residual), on the CPU and on OpenCL, and it must follow a change of the
 * q, k, v weights (the joined copy is rebuilt).
 */
@SuppressWarnings("try")
class SelfAttentionGemmPathTest {
    private static final int C = 8, GROUPS = 4;

    private static SelfAttention2d build(Backend b, DType t) {
        try (Init init = Init.seeded(31, b, t)) { return new SelfAttention2d(C, GROUPS); }
    }

    private static double[] noise(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = r.nextDouble(-1, 1);
        return d;
    }

    /** The definition in float64, from the module's parameters. */
    private static double[] reference(SelfAttention2d m, double[] x, int n, int h, int w) {
        var p = m.namedParameters();
        double[] gw = p.get("norm.weight").value().toDoubleArray(), gb = p.get("norm.bias").value().toDoubleArray();
        int hw = h * w, cg = C / GROUPS;
        double[] g = new double[x.length];
        for (int b = 0; b < n; b++) {
            for (int grp = 0; grp < GROUPS; grp++) {
                double mean = 0, var = 0;
                for (int c = grp * cg; c < (grp + 1) * cg; c++) for (int i = 0; i < hw; i++) mean += x[(b * C + c) * hw + i];
                mean /= cg * hw;
                for (int c = grp * cg; c < (grp + 1) * cg; c++) for (int i = 0; i < hw; i++) { double d = x[(b * C + c) * hw + i] - mean; var += d * d; }
                var /= cg * hw;
                for (int c = grp * cg; c < (grp + 1) * cg; c++) for (int i = 0; i < hw; i++) {
                    g[(b * C + c) * hw + i] = (x[(b * C + c) * hw + i] - mean) / Math.sqrt(var + 1e-5) * gw[c] + gb[c];
                }
            }
        }
        double[][] qkv = new double[3][];
        String[] names = {"q", "k", "v"};
        for (int j = 0; j < 3; j++) qkv[j] = conv1x1(g, p.get(names[j] + ".weight").value().toDoubleArray(), p.get(names[j] + ".bias").value().toDoubleArray(), n, hw);
        double[] a = new double[x.length];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < hw; i++) {
                double[] logits = new double[hw];
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < hw; k++) {
                    double s = 0;
                    for (int c = 0; c < C; c++) s += qkv[0][(b * C + c) * hw + i] * qkv[1][(b * C + c) * hw + k];
                    logits[k] = s / Math.sqrt(C);
                    max = Math.max(max, logits[k]);
                }
                double z = 0;
                for (int k = 0; k < hw; k++) z += logits[k] = Math.exp(logits[k] - max);
                for (int c = 0; c < C; c++) {
                    double s = 0;
                    for (int k = 0; k < hw; k++) s += logits[k] / z * qkv[2][(b * C + c) * hw + k];
                    a[(b * C + c) * hw + i] = s;
                }
            }
        }
        double[] out = conv1x1(a, p.get("proj.weight").value().toDoubleArray(), p.get("proj.bias").value().toDoubleArray(), n, hw);
        for (int i = 0; i < out.length; i++) out[i] += x[i];
        return out;
    }

    private static double[] conv1x1(double[] x, double[] w, double[] bias, int n, int hw) {
        double[] y = new double[x.length];
        for (int b = 0; b < n; b++) for (int o = 0; o < C; o++) for (int i = 0; i < hw; i++) {
            double s = bias[o];
            for (int c = 0; c < C; c++) s += w[o * C + c] * x[(b * C + c) * hw + i];
            y[(b * C + o) * hw + i] = s;
        }
        return y;
    }

    private static void check(Backend b, DType t) {
        SelfAttention2d m = build(b, t);
        int n = 2, h = 3, w = 5;
        double[] xd = noise(7, n * C * h * w);
        Tensor x = Tensor.of(b, t, xd, n, C, h, w);
        double tol = t == DType.F64 ? 1e-11 : 2e-5;
        for (int round = 0; round < 2; round++) {
            double[] expected = reference(m, xd, n, h, w);
            double[] gemms, taped;
            try (NoGrad g = NoGrad.enter()) { gemms = m.forward(Variable.constant(x)).value().toDoubleArray(); }
            taped = m.forward(Variable.constant(x)).value().toDoubleArray();   // recording: the 1x1 convolutions
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], gemms[i], tol * (1 + Math.abs(expected[i])), b.device() + " " + t + " round " + round + " GEMM path [" + i + "]");
                assertEquals(expected[i], taped[i], tol * (1 + Math.abs(expected[i])), b.device() + " " + t + " round " + round + " conv path [" + i + "]");
            }
            // change k's weight in place (as an optimiser step does): the next forward must see it
            Parameter kw = m.namedParameters().get("k.weight");
            kw.update(kw.value().mul(1.5).add(0.1));
        }
    }

    @Test void cpuMatchesTheDefinition() {
        check(Backends.cpu(), DType.F64);
        check(Backends.cpu(), DType.F32);
    }

    @Test void openClMatchesTheDefinition() {
        Backend cl = OpenClDevice.backend();
        check(cl, DType.F64);
        check(cl, DType.F32);
    }
}
