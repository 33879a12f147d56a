package org.diffusion4j.optim;

import org.diffusion4j.autograd.Inputs;
import org.diffusion4j.autograd.OpenClDevice;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Dropout;
import org.diffusion4j.nn.RandomState;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/** Optimiser steps, clipping, EMA and dropout masks on OpenCL against the CPU (skipped without a device, failing under CI). */
class OpenClTrainingTest {
    private static double[][] train(Backend backend, Function<Map<String, Variable>, Optimizer> make) {
        Inputs in = new Inputs(backend, DType.F64);
        Variable w = Variable.parameter(in.randn(1, 17, 3)), b = Variable.parameter(in.randn(2, 3));
        Map<String, Variable> named = new LinkedHashMap<>();
        named.put("w", w);
        named.put("b", b);
        Optimizer opt = make.apply(named);
        Ema ema = new Ema(named, 0.8, true);
        Tensor x = in.randn(3, 5, 17), target = in.randn(4, 5, 3);
        double[] norms = new double[3];
        for (int s = 0; s < 3; s++) {
            try (Scope scope = Scope.open()) {
                opt.zeroGrad();
                Variable.constant(x).matmul(w).add(b).sub(Variable.constant(target)).square().mean().backward();
                norms[s] = GradClip.clipGlobalNorm(List.of(w, b), 0.5);
                opt.step();
                ema.update();
            }
        }
        return new double[][]{w.value().toDoubleArray(), b.value().toDoubleArray(), ema.averages().get("w").toDoubleArray(), norms};
    }

    @Test void optimisersMatchTheCpu() {
        Backend cl = OpenClDevice.backend();
        List<Function<Map<String, Variable>, Optimizer>> makers = List.of(
                m -> new Adam(m, 0.05, 0.9, 0.99, 1e-8, 0.01),
                m -> new AdamW(m, 0.05, 0.9, 0.99, 1e-8, 0.1),
                m -> new Sgd(m, 0.1, 0.9, 0, 0.01, true));
        for (var make : makers) {
            double[][] cpu = train(Backends.cpu(), make), gpu = train(cl, make);
            for (int i = 0; i < cpu.length; i++) assertArrayEquals(cpu[i], gpu[i], 1e-12, "result " + i);
        }
    }

    @Test void dropoutMasksAreTheSameBitsOnBothDevices() {
        Backend cl = OpenClDevice.backend();
        for (DType d : new DType[]{DType.F32, DType.F64}) {
            Dropout cpuDrop = new Dropout(0.25), clDrop = new Dropout(0.25);
            cpuDrop.setRandomState(new RandomState(3));
            clDrop.setRandomState(new RandomState(3));
            Tensor x = new Inputs(Backends.cpu(), d).randn(7, 3, 33);
            double[] a = cpuDrop.forward(Variable.constant(x)).value().toDoubleArray();
            double[] b = clDrop.forward(Variable.constant(x.to(cl))).value().toDoubleArray();
            assertArrayEquals(a, b, 0);
        }
    }
}
