package org.diffusion4j.nn;

import org.diffusion4j.autograd.GradCheck;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class Conv1dTest {
    static Tensor random(long seed, int... shape) {
        Random r = new Random(seed);
        double[] d = new double[(int) org.diffusion4j.tensor.Shapes.numel(shape)];
        for (int i = 0; i < d.length; i++) d[i] = r.nextGaussian();
        return Tensor.of(Backends.cpu(), DType.F64, d, shape);
    }

    /** A dilated, zero-padded ("same") 1-D convolution against the sum written out in float64. */
    @Test void matchesAPlainLoop() {
        for (int[] c : new int[][]{{3, 1}, {3, 4}, {5, 2}, {1, 1}}) {
            int k = c[0], dil = c[1], n = 2, in = 3, out = 4, len = 17;
            Conv1d conv;
            try (Init init = Init.seeded(11, Backends.cpu(), DType.F64)) { conv = new Conv1d(in, out, k, dil); }
            Tensor x = random(k * 10 + dil, n, in, len);
            double[] y = conv.forward(Variable.constant(x)).value().toDoubleArray();
            double[] w = conv.weight().value().toDoubleArray(), b = conv.parameters().get(1).value().toDoubleArray(), xs = x.toDoubleArray();
            int pad = dil * (k - 1) / 2;
            for (int s = 0; s < n; s++) for (int o = 0; o < out; o++) for (int t = 0; t < len; t++) {
                double acc = b[o];
                for (int i = 0; i < in; i++) for (int j = 0; j < k; j++) {
                    int src = t - pad + j * dil;
                    if (src >= 0 && src < len) acc += w[(o * in + i) * k + j] * xs[(s * in + i) * len + src];
                }
                assertEquals(acc, y[(s * out + o) * len + t], 1e-12, "k=" + k + " d=" + dil + " at " + s + "," + o + "," + t);
            }
        }
    }

    @Test void gradientsOfInputWeightAndBiasMatchCentralDifferences() {
        Conv1d conv;
        try (Init init = Init.seeded(3, Backends.cpu(), DType.F64)) { conv = new Conv1d(2, 3, 3, 2); }
        Tensor r = random(9, 2, 3, 11);
        double err = GradCheck.check(v -> Variable.conv2d(v[0].unsqueeze(2), v[1], v[2], conv.spec()).squeeze(2).mul(Variable.constant(r)),
                random(1, 2, 2, 11), random(2, 3, 2, 1, 3), random(3, 3));
        assertTrue(err < 1e-6, "err " + err);
    }

    @Test void zeroInitialisedStartsAtZeroAndBadShapesAreNamed() {
        Conv1d z = Conv1d.zeroInitialised(3, 1);
        assertEquals(0.0, z.forward(Variable.constant(random(4, 2, 3, 5).cast(DType.F32))).value().abs().sum().item());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Conv1d(2, 2, 2, 1)).getMessage().contains("odd kernel"));
        var e = assertThrows(IllegalArgumentException.class, () -> z.forward(Variable.constant(Tensor.zeros(Backends.cpu(), DType.F32, 2, 3, 1, 5))));
        assertTrue(e.getMessage().contains("[N, C, L], got [2, 3, 1, 5]"), e.getMessage());
    }
}
