package org.diffusion4j.optim;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Three optimiser steps against the update rules written out as plain double arithmetic. The loss is
 * L(p) = sum_i c_i p_i^2 / 2 + d_i p_i, so the gradient c_i p_i + d_i changes with p at every step.
 */
class OptimizerTest {
    static final double[] P0 = {0.5, -1.25, 2.0}, C = {1.0, 3.0, 0.5}, D = {0.2, -0.1, 0.7};

    private static Variable param() { return Variable.parameter(Tensor.of(Backends.cpu(), P0.clone(), 3)); }

    private static void loss(Variable p) {
        Tensor c = Tensor.of(Backends.cpu(), C, 3), d = Tensor.of(Backends.cpu(), D, 3);
        p.square().mul(c).mul(0.5).add(p.mul(d)).sum().backward();
    }

    private static double grad(double p, int i) { return C[i] * p + D[i]; }

    private static Map<String, Variable> named(Variable p) {
        Map<String, Variable> m = new LinkedHashMap<>();
        m.put("w", p);
        return m;
    }

    private static double[] run(Optimizer opt, Variable p, int steps) {
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            loss(p);
            opt.step();
        }
        return p.value().toDoubleArray();
    }

    @Test void adamMatchesThreeHandComputedSteps() {
        double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.01;
        Variable p = param();
        double[] got = run(new Adam(named(p), lr, b1, b2, eps, wd), p, 3);
        for (int i = 0; i < 3; i++) {
            double x = P0[i], m = 0, v = 0;
            for (int t = 1; t <= 3; t++) {
                double g = grad(x, i) + wd * x;          // L2 weight decay enters the gradient
                m = b1 * m + (1 - b1) * g;
                v = b2 * v + (1 - b2) * g * g;
                double mhat = m / (1 - Math.pow(b1, t)), vhat = v / (1 - Math.pow(b2, t));
                x = x - lr * mhat / (Math.sqrt(vhat) + eps);
            }
            assertEquals(x, got[i], 1e-12, "element " + i);
        }
    }

    @Test void adamWDecaysDecoupledFromTheMoments() {
        double lr = 0.05, b1 = 0.8, b2 = 0.99, eps = 1e-6, wd = 0.1;
        Variable p = param();
        double[] got = run(new AdamW(named(p), lr, b1, b2, eps, wd), p, 3);
        for (int i = 0; i < 3; i++) {
            double x = P0[i], m = 0, v = 0;
            for (int t = 1; t <= 3; t++) {
                double g = grad(x, i);
                m = b1 * m + (1 - b1) * g;
                v = b2 * v + (1 - b2) * g * g;
                double mhat = m / (1 - Math.pow(b1, t)), vhat = v / (1 - Math.pow(b2, t));
                x = x - lr * wd * x - lr * mhat / (Math.sqrt(vhat) + eps);
            }
            assertEquals(x, got[i], 1e-12, "element " + i);
        }
    }

    @Test void sgdMomentumAndNesterovMatchThreeSteps() {
        for (boolean nesterov : new boolean[]{false, true}) {
            double lr = 0.1, mu = 0.9, wd = 0.05;
            Variable p = param();
            double[] got = run(new Sgd(named(p), lr, mu, 0, wd, nesterov), p, 3);
            for (int i = 0; i < 3; i++) {
                double x = P0[i], b = 0;
                for (int t = 1; t <= 3; t++) {
                    double g = grad(x, i) + wd * x;
                    b = t == 1 ? g : mu * b + g;
                    double step = nesterov ? g + mu * b : b;
                    x -= lr * step;
                }
                assertEquals(x, got[i], 1e-12, "nesterov=" + nesterov + " element " + i);
            }
        }
        Variable p = param();
        double[] plain = run(new Sgd(named(p), 0.1), p, 1);
        for (int i = 0; i < 3; i++) assertEquals(P0[i] - 0.1 * grad(P0[i], i), plain[i], 1e-15);
    }

    @Test void parametersWithoutGradientsAreLeftAlone() {
        Variable p = param(), q = Variable.parameter(Tensor.of(Backends.cpu(), new double[]{1, 2}, 2));
        Map<String, Variable> m = new LinkedHashMap<>();
        m.put("p", p);
        m.put("q", q);
        Adam opt = new Adam(m, 0.1);
        loss(p);
        opt.step();
        assertArrayEquals(new double[]{1, 2}, q.value().toDoubleArray(), 0);
        assertEquals(1, opt.stepCount());
    }

    @Test void stateRoundTripContinuesIdentically() {
        Variable p = param();
        Adam a = new Adam(named(p), 0.1);
        run(a, p, 2);
        Variable p2 = Variable.parameter(p.value().copy());
        Adam b = new Adam(named(p2), 0.5);
        b.loadState(a.stateTensors(), a.stateMetadata());
        assertEquals(2, b.stepCount());
        assertEquals(0.1, b.learningRate());
        assertEquals(List.of("w.exp_avg", "w.exp_avg_sq"), List.copyOf(a.stateTensors().keySet()));
        assertArrayEquals(run(a, p, 2), run(b, p2, 2), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Sgd(named(p2), 0.1).loadState(a.stateTensors(), a.stateMetadata()));
        assertTrue(e.getMessage().contains("Adam"), e.getMessage());
    }

    @Test void stepsInsideScopesKeepParameterAndStateStoragesAndFreeTemporaries() {
        Variable plain = param(), scoped = param();
        Adam a = new Adam(named(plain), 0.1), b = new Adam(named(scoped), 0.1);
        Ema ema = new Ema(named(scoped), 0.5, false);
        var storage = scoped.value().storage();
        run(a, plain, 3);
        Tensor temporary = null;
        for (int s = 0; s < 3; s++) {
            try (Scope scope = Scope.open()) {
                b.zeroGrad();
                loss(scoped);
                b.step();
                ema.update();
                temporary = scoped.grad();
                assertTrue(scope.size() > 0);
            }
            assertTrue(temporary.storage().isClosed(), "the step's temporaries are freed with its scope");
            assertFalse(scoped.value().storage().isClosed());
            for (Tensor t : b.stateTensors().values()) assertFalse(t.storage().isClosed(), "optimizer state survives the scope");
            assertFalse(ema.averages().get("w").storage().isClosed(), "EMA shadow survives the scope");
        }
        assertSame(storage, scoped.value().storage(), "parameters are updated in place");
        assertArrayEquals(plain.value().toDoubleArray(), scoped.value().toDoubleArray(), 0);
    }

    @Test void clipGlobalNormMatchesTheFormula() {
        Variable a = Variable.parameter(Tensor.of(Backends.cpu(), new double[]{0, 0, 0}, 3));
        Variable b = Variable.parameter(Tensor.of(Backends.cpu(), new double[]{0, 0}, 2));
        a.setGrad(Tensor.of(Backends.cpu(), new double[]{3, -4, 12}, 3));
        b.setGrad(Tensor.of(Backends.cpu(), new double[]{0, 84}, 2));
        // sqrt(9 + 16 + 144 + 7056) = 85
        double norm = GradClip.clipGlobalNorm(List.of(a, b), 17.0);
        assertEquals(85.0, norm, 1e-12);
        double coef = 17.0 / (85.0 + 1e-6);
        assertArrayEquals(new double[]{3 * coef, -4 * coef, 12 * coef}, a.grad().toDoubleArray(), 1e-14);
        assertArrayEquals(new double[]{0, 84 * coef}, b.grad().toDoubleArray(), 1e-14);
        // below the threshold nothing changes
        double n2 = GradClip.clipGlobalNorm(List.of(a, b), 100.0);
        assertEquals(17.0 * 85.0 / (85.0 + 1e-6), n2, 1e-9);
        assertArrayEquals(new double[]{0, 84 * coef}, b.grad().toDoubleArray(), 0);
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipGlobalNorm(List.of(a), 0));
    }

    @Test void emaFollowsItsRecurrenceWithAndWithoutWarmup() {
        for (boolean warmup : new boolean[]{false, true}) {
            Variable p = Variable.parameter(Tensor.of(Backends.cpu(), new double[]{1.0, -2.0}, 2));
            Ema ema = new Ema(named(p), 0.9, warmup);
            double[] s = {1.0, -2.0};
            double[][] values = {{2.0, 0.0}, {-1.0, 4.0}, {0.5, 0.5}};
            for (int n = 1; n <= 3; n++) {
                p.assign(Tensor.of(Backends.cpu(), values[n - 1], 2));
                ema.update();
                double d = warmup ? Math.min(0.9, (1.0 + n) / (10.0 + n)) : 0.9;
                for (int i = 0; i < 2; i++) s[i] = d * s[i] + (1 - d) * values[n - 1][i];
            }
            assertArrayEquals(s, ema.averages().get("w").toDoubleArray(), 1e-14);
            assertEquals(3, ema.updates());
        }
    }

    @Test void scheduleValuesAtChosenSteps() {
        LearningRateSchedule warm = LearningRateSchedule.warmupConstant(1e-3, 4);
        assertEquals(0.25e-3, warm.at(0), 1e-18);
        assertEquals(0.75e-3, warm.at(2), 1e-18);
        assertEquals(1e-3, warm.at(3), 1e-18);
        assertEquals(1e-3, warm.at(1000), 1e-18);
        LearningRateSchedule cos = LearningRateSchedule.warmupCosine(1.0, 10, 110, 0.1);
        assertEquals(0.1, cos.at(0), 1e-15);
        assertEquals(1.0, cos.at(10), 1e-15);
        assertEquals(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.25)), cos.at(35), 1e-15);
        assertEquals(0.55, cos.at(60), 1e-15);
        assertEquals(0.1, cos.at(110), 1e-15);
        assertEquals(0.1, cos.at(500), 1e-15);
        assertEquals(2e-4, LearningRateSchedule.constant(2e-4).at(77));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.warmupCosine(1.0, 10, 10, 0));
    }
}
