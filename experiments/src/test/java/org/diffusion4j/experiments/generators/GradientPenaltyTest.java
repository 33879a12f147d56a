package org.diffusion4j.experiments.generators;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Init;
import org.diffusion4j.nn.Parameter;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.RandomKind;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WGAN-GP's gradient penalty: against the closed form of a linear critic, the MLP's written-out input gradient against
 * the tape's own backward pass, and the penalty's gradient in the critic's weights against central differences.
 */
class GradientPenaltyTest {
    private static final int B = 6, DIM = 3;

    private static Tensor rows(double phase, int rows, int width) {
        double[] v = new double[rows * width];
        for (int i = 0; i < v.length; i++) v[i] = Math.sin(1.7 * i + phase) * 1.3;
        return Tensor.of(Backends.cpu(), DType.F64, v, rows, width);
    }

    /**
     * A linear critic D(x) = w.x + b has grad D = w everywhere, so the penalty is lambda (|w| - 1)^2 whatever the
     * samples and eps, and its gradient in w is 2 lambda (|w| - 1) w / |w| (|w| with the penalty's 1e-12 under the root).
     */
    @Test
    void linearCriticGivesTheClosedFormPenaltyAndGradient() {
        double[] w = {0.9, -1.4, 0.35};
        Variable weight = Variable.parameter(Tensor.of(Backends.cpu(), DType.F64, w, 1, DIM));
        GradientPenalty.Critic linear = x -> weight.expand(x.shape(0), DIM);
        Tensor eps = Tensor.random(Backends.cpu(), DType.F64, RandomKind.UNIFORM, 4, 0, B, 1);
        double lambda = 10;
        Variable p = GradientPenalty.of(linear, rows(0.1, B, DIM), rows(2.0, B, DIM), eps, lambda);
        double norm = Math.sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2] + 1e-12);   // the documented 1e-12 inside the root
        assertEquals(lambda * (norm - 1) * (norm - 1), p.value().item(), 1e-12);
        p.backward();
        double[] expected = new double[DIM];
        for (int j = 0; j < DIM; j++) expected[j] = 2 * lambda * (norm - 1) * w[j] / norm;
        assertArrayEquals(expected, weight.grad().toDoubleArray(), 1e-12);
    }

    private static Mlp critic(double slope) {
        try (Init init = Init.seeded(11, Backends.cpu(), DType.F64)) { return new Mlp(DIM, 9, 3, 1, slope); }
    }

    /** grad_x D(x) written out as Variables equals the gradient the tape's backward pass gives x. */
    @Test
    void mlpInputGradientEqualsTheTapesBackwardPass() {
        for (double slope : new double[]{0.2, 0.0}) {
            Mlp d = critic(slope);
            Variable x = Variable.parameter(rows(0.4, B, DIM));
            d.forward(x).sum().backward();
            Tensor fromTape = x.grad();
            Tensor written = d.inputGradient(Variable.constant(x.value())).value();
            assertArrayEquals(new int[]{B, DIM}, written.shape());
            assertArrayEquals(fromTape.toDoubleArray(), written.toDoubleArray(), 1e-13, "slope " + slope);
            double[] loop = mlpInputGradient(d, java.util.Arrays.copyOfRange(x.value().toDoubleArray(), 0, DIM), slope);
            assertArrayEquals(loop, java.util.Arrays.copyOfRange(written.toDoubleArray(), 0, DIM), 1e-13);
        }
        Mlp twoOutputs;
        try (Init init = Init.seeded(1, Backends.cpu(), DType.F64)) { twoOutputs = new Mlp(DIM, 4, 1, 2, 0.2); }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> twoOutputs.inputGradient(Variable.constant(rows(0, 2, DIM))));
        assertTrue(e.getMessage().contains("one output") && e.getMessage().contains("2"), e.getMessage());
    }

    /** The penalty's gradient in every weight of the MLP critic, from one ordinary backward pass, against central differences. */
    @Test
    void penaltyGradientInTheCriticsWeightsMatchesCentralDifferences() {
        Mlp d = critic(0.2);
        Tensor real = rows(0.3, B, DIM), fake = rows(1.9, B, DIM);
        Tensor eps = Tensor.random(Backends.cpu(), DType.F64, RandomKind.UNIFORM, 8, 0, B, 1);
        d.zeroGrad();
        GradientPenalty.of(d::inputGradient, real, fake, eps, 10).backward();
        double h = 1e-6, worst = 0;
        for (Map.Entry<String, Parameter> e : d.namedParameters().entrySet()) {
            Parameter p = e.getValue();
            double[] v = p.value().contiguous().toDoubleArray();
            // no gradient at all: the input gradient does not depend on the biases (they only move the slopes' kinks)
            double[] g = p.grad() == null ? new double[v.length] : p.grad().contiguous().toDoubleArray();
            for (int k = 0; k < v.length; k++) {
                double keep = v[k];
                v[k] = keep + h;
                p.assign(Tensor.of(Backends.cpu(), DType.F64, v, p.shape()));
                double up = GradientPenalty.of(d::inputGradient, real, fake, eps, 10).value().item();
                v[k] = keep - h;
                p.assign(Tensor.of(Backends.cpu(), DType.F64, v, p.shape()));
                double down = GradientPenalty.of(d::inputGradient, real, fake, eps, 10).value().item();
                v[k] = keep;
                p.assign(Tensor.of(Backends.cpu(), DType.F64, v, p.shape()));
                double numeric = (up - down) / (2 * h);
                worst = Math.max(worst, Math.abs(numeric - g[k]) / Math.max(1, Math.abs(numeric)));
            }
        }
        assertTrue(worst < 1e-6, "largest relative error " + worst);
    }

    /** grad_x of the MLP in plain float64 loops: forward keeping the pre-activations, then the chain rule backwards. */
    static double[] mlpInputGradient(Mlp m, double[] x, double slope) {
        Map<String, Parameter> p = m.namedParameters();
        int layers = p.size() / 2;
        double[][] pre = new double[layers][];
        double[] h = x;
        for (int l = 0; l < layers; l++) {
            Tensor w = p.get(l + ".weight").value();
            double[] wv = w.contiguous().toDoubleArray(), bv = p.get(l + ".bias").value().toDoubleArray();
            int out = w.shape(0), in = w.shape(1);
            pre[l] = new double[out];
            double[] y = new double[out];
            for (int o = 0; o < out; o++) {
                double s = bv[o];
                for (int i = 0; i < in; i++) s += wv[o * in + i] * h[i];
                pre[l][o] = s;
                y[o] = s < 0 ? slope * s : s;
            }
            h = y;
        }
        double[] g = {1.0};
        for (int l = layers - 1; l >= 0; l--) {
            Tensor w = p.get(l + ".weight").value();
            double[] wv = w.contiguous().toDoubleArray();
            int out = w.shape(0), in = w.shape(1);
            double[] next = new double[in];
            for (int o = 0; o < out; o++) {
                double go = l < layers - 1 && pre[l][o] <= 0 ? slope * g[o] : g[o];
                for (int i = 0; i < in; i++) next[i] += go * wv[o * in + i];
            }
            g = next;
        }
        return g;
    }
}
