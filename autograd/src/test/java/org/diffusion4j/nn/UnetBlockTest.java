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

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Forward and backward of a UNet-like block: gradients by central differences on the CPU, OpenCL against the CPU. */
class UnetBlockTest {
    private static final int N = 2, CIN = 4, COUT = 6, H = 4, W = 6, GROUPS = 2;

    private static TinyUnetBlock block(Backend backend, DType dtype) {
        try (Init init = Init.seeded(21, backend, dtype)) { return new TinyUnetBlock(CIN, COUT, GROUPS); }
    }

    private static Tensor input(Backend b, DType d) { return new Inputs(b, d).randn(5, N, CIN, H, W); }

    private static Tensor times(Backend b, DType d) { return Tensor.of(b, d, new double[]{3.0, 250.0}, N); }

    /** A scalar loss with a fixed random weighting, so every output element matters differently. */
    private static Variable loss(TinyUnetBlock block, Tensor x, Tensor t) {
        Variable y = block.forward(Variable.parameter(x), Variable.constant(t));
        Tensor r = new Inputs(x.backend(), x.dtype()).uniform(6, 0.5, 1.5, y.shape());
        return y.mul(Variable.constant(r)).sum();
    }

    @Test void inputGradientMatchesCentralDifferencesOnCpu() {
        TinyUnetBlock b = block(Backends.cpu(), DType.F64);
        double err = GradCheck.check(1e-6, v -> b.forward(v[0], Variable.constant(times(Backends.cpu(), DType.F64))),
                input(Backends.cpu(), DType.F64));
        assertTrue(err < 1e-6);
    }

    @Test void parameterGradientsMatchCentralDifferencesOnCpu() {
        TinyUnetBlock b = block(Backends.cpu(), DType.F64);
        Tensor x = input(Backends.cpu(), DType.F64), t = times(Backends.cpu(), DType.F64);
        loss(b, x, t).backward();
        double h = 1e-6;
        for (Map.Entry<String, Parameter> e : b.namedParameters().entrySet()) {
            Parameter p = e.getValue();
            assertNotNull(p.grad(), e.getKey() + " received no gradient");
            double[] base = p.value().toDoubleArray(), analytic = p.grad().toDoubleArray();
            // three elements per parameter: first, middle, last
            for (int i : new int[]{0, base.length / 2, base.length - 1}) {
                double[] plus = base.clone(), minus = base.clone();
                plus[i] += h;
                minus[i] -= h;
                Tensor original = p.value();
                p.assign(Tensor.of(Backends.cpu(), plus, p.shape()));
                double lp = lossValue(b, x, t);
                p.assign(Tensor.of(Backends.cpu(), minus, p.shape()));
                double lm = lossValue(b, x, t);
                p.assign(original);
                double numeric = (lp - lm) / (2 * h);
                assertEquals(numeric, analytic[i], 1e-6 * Math.max(1, Math.abs(numeric)), e.getKey() + "[" + i + "]");
            }
        }
    }

    private static double lossValue(TinyUnetBlock b, Tensor x, Tensor t) {
        try (var g = org.diffusion4j.autograd.NoGrad.enter()) {
            Variable y = b.forward(Variable.constant(x), Variable.constant(t));
            Tensor r = new Inputs(x.backend(), x.dtype()).uniform(6, 0.5, 1.5, y.shape());
            return y.mul(Variable.constant(r)).sum().value().item();
        }
    }

    @Test void openClForwardAndBackwardMatchTheCpu() {
        Backend cl = OpenClDevice.backend();
        for (DType dtype : new DType[]{DType.F64, DType.F32}) {
            double tol = dtype == DType.F64 ? 1e-9 : 2e-3;
            TinyUnetBlock onCpu = block(Backends.cpu(), dtype);
            TinyUnetBlock onCl = block(Backends.cpu(), dtype);
            onCl.to(cl);
            assertSame(cl, onCl.parameters().get(0).backend());
            Variable xc = Variable.parameter(input(Backends.cpu(), dtype)), xg = Variable.parameter(input(cl, dtype));
            Variable yc = onCpu.forward(xc, Variable.constant(times(Backends.cpu(), dtype)));
            Variable yg = onCl.forward(xg, Variable.constant(times(cl, dtype)));
            assertClose("output", yc.value(), yg.value(), tol);
            Tensor seed = new Inputs(Backends.cpu(), dtype).uniform(6, 0.5, 1.5, yc.shape());
            yc.backward(seed);
            yg.backward(seed.to(cl));
            assertClose("input gradient", xc.grad(), xg.grad(), tol);
            Map<String, Parameter> pg = onCl.namedParameters();
            for (Map.Entry<String, Parameter> e : onCpu.namedParameters().entrySet()) {
                assertClose(e.getKey() + " gradient", e.getValue().grad(), pg.get(e.getKey()).grad(), tol);
            }
        }
    }

    private static void assertClose(String what, Tensor cpu, Tensor other, double tol) {
        assertArrayEquals(cpu.shape(), other.shape(), what);
        double[] a = cpu.toDoubleArray(), b = other.toDoubleArray();
        double scale = 0;
        for (double v : a) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], tol * Math.max(1, scale), what + " element " + i);
        }
    }
}
