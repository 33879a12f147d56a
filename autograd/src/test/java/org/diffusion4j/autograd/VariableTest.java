package org.diffusion4j.autograd;

import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Tape semantics: accumulation, zeroGrad, NoGrad, detach, errors; and GradCheck's ability to fail. */
class VariableTest {
    private final Inputs in = new Inputs(Backends.cpu(), DType.F64);

    @Test void gradientOfSumOfSquaresIsTwiceTheInputAndAccumulatesUntilZeroGrad() {
        double[] xs = {1.5, -2.0, 0.25};
        Variable x = Variable.parameter(in.of(xs, 3));
        x.square().sum().backward();
        assertArrayEquals(new double[]{3.0, -4.0, 0.5}, x.grad().toDoubleArray(), 1e-15);
        x.square().sum().backward();
        assertArrayEquals(new double[]{6.0, -8.0, 1.0}, x.grad().toDoubleArray(), 1e-15);
        x.zeroGrad();
        assertNull(x.grad());
        x.mul(3.0).sum().backward();
        assertArrayEquals(new double[]{3, 3, 3}, x.grad().toDoubleArray(), 0);
    }

    @Test void broadcastOperandReceivesSummedGradient() {
        Variable a = Variable.parameter(in.randn(1, 4, 3));
        Variable b = Variable.parameter(in.of(new double[]{1, 2, 3}, 3));
        a.mul(b).sum().backward();
        double[] av = a.value().toDoubleArray(), expected = new double[3];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 3; j++) expected[j] += av[i * 3 + j];
        assertArrayEquals(expected, b.grad().toDoubleArray(), 1e-12);
        assertArrayEquals(new int[]{3}, b.grad().shape());
    }

    @Test void noGradRecordsNothingAndNests() {
        Variable x = Variable.parameter(in.randn(2, 3));
        assertFalse(NoGrad.isEnabled());
        try (NoGrad g = NoGrad.enter()) {
            assertTrue(NoGrad.isEnabled());
            try (NoGrad h = NoGrad.enter()) {
                assertFalse(x.exp().requiresGrad());
            }
            assertTrue(NoGrad.isEnabled());
            Variable y = x.exp().sum();
            assertFalse(y.requiresGrad());
            assertThrows(IllegalStateException.class, y::backward);
        }
        assertFalse(NoGrad.isEnabled());
        assertTrue(x.exp().requiresGrad());
    }

    @Test void detachCutsTheTapeAndConstantsGetNoGradient() {
        Variable x = Variable.parameter(in.randn(3, 3));
        Variable c = Variable.constant(in.randn(4, 3));
        Variable y = x.mul(x.detach()).add(c).sum();
        y.backward();
        assertArrayEquals(x.value().toDoubleArray(), x.grad().toDoubleArray(), 1e-15); // d(x * const)/dx = const = x
        assertNull(c.grad());
        assertFalse(x.detach().requiresGrad());
    }

    @Test void backwardNeedsAOneElementOutputOrAMatchingSeed() {
        Variable x = Variable.parameter(in.randn(5, 2, 3));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.exp().backward());
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> x.exp().backward(in.randn(6, 3, 2)));
        assertTrue(f.getMessage().contains("[3, 2]") && f.getMessage().contains("[2, 3]"), f.getMessage());
        Tensor seed = in.randn(7, 2, 3);
        x.sin().backward(seed);
        double[] xs = x.value().toDoubleArray(), s = seed.toDoubleArray(), g = x.grad().toDoubleArray();
        for (int i = 0; i < 6; i++) assertEquals(s[i] * Math.cos(xs[i]), g[i], 1e-14);
    }

    @Test void deepChainDoesNotOverflowTheStack() {
        Variable x = Variable.parameter(in.of(new double[]{0.5}, 1));
        Variable y = x;
        for (int i = 0; i < 5000; i++) y = y.mul(1.0001);
        y.sum().backward();
        assertEquals(Math.pow(1.0001, 5000), x.grad().item(), 1e-9);
    }

    @Test void gradCheckDetectsAWrongBackwardRule() {
        // sin with the derivative of cos: the check must fail loudly
        java.util.function.Function<Variable[], Variable> wrong = v -> Variable.fromOp("badSin", v[0].value().sin(),
                g -> new Tensor[]{g.mul(v[0].value().sin()).neg()}, v[0]);
        AssertionError e = assertThrows(AssertionError.class, () -> GradCheck.check(wrong, in.randn(8, 5)));
        assertTrue(e.getMessage().contains("gradcheck failed"), e.getMessage());
        GradCheck.Report r = GradCheck.compare(GradCheck.DEFAULT_STEP, wrong, in.randn(8, 5));
        assertTrue(r.maxError() > 0.1, r.toString());
    }

    @Test void gradCheckCastsF32InputsToF64() {
        Tensor x = Tensor.of(Backends.cpu(), new float[]{0.3f, -1.2f, 2.0f}, 3);
        assertTrue(GradCheck.check(v -> v[0].tanh(), x) < 1e-6);
    }

    @Test void groupNormSiluUsesTheFusedKernelWithoutGradAndAgreesWithTheTape() {
        Tensor x = in.randn(9, 2, 4, 3, 3), g = in.randn(10, 4), b = in.randn(11, 4);
        Variable taped = Variable.groupNormSilu(Variable.parameter(x), Variable.parameter(g), Variable.parameter(b), 2, 1e-5);
        assertEquals("silu", taped.op());
        Variable fused;
        try (NoGrad ng = NoGrad.enter()) {
            fused = Variable.groupNormSilu(Variable.constant(x), Variable.constant(g), Variable.constant(b), 2, 1e-5);
        }
        assertEquals("constant", fused.op());
        assertArrayEquals(taped.value().toDoubleArray(), fused.value().toDoubleArray(), 1e-12);
    }

    @Test void mixingDevicesOrDtypesIsAnErrorNamingBoth() {
        Variable a = Variable.parameter(in.randn(12, 3));
        Variable b = Variable.constant(Tensor.of(Backends.cpu(), new float[]{1, 2, 3}, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("F64") && e.getMessage().contains("F32"), e.getMessage());
    }
}
