package org.diffusion4j.experiments.generators;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Init;
import org.diffusion4j.nn.Parameter;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DCGAN pair and the VAE's conv networks: shapes, ranges, and the frozen forward the GAN's generator loss uses. */
class ConvNetworksTest {
    private static Tensor images(int n) {
        double[] v = new double[n * 28 * 28];
        for (int i = 0; i < v.length; i++) v[i] = Math.sin(0.37 * i) * 0.9;
        return Tensor.of(Backends.cpu(), DType.F64, v, n, 1, 28, 28);
    }

    @Test
    void shapesRangeAndBadInputs() {
        try (Init init = Init.seeded(2, Backends.cpu(), DType.F64)) {
            ConvEncoder d = new ConvEncoder(1, 8, 5);
            ConvDecoder g = new ConvDecoder(4, 8, 1, true);
            assertArrayEquals(new int[]{3, 5}, d.forward(Variable.constant(images(3))).shape());
            Tensor z = Tensor.randn(Backends.cpu(), DType.F64, 1, 0, 3, 4);
            Tensor x = g.forward(Variable.constant(z)).value();
            assertArrayEquals(new int[]{3, 1, 28, 28}, x.shape());
            for (double v : x.toDoubleArray()) assertTrue(v > -1 && v < 1, "tanh output " + v);
            var e = assertThrows(IllegalArgumentException.class, () -> d.forward(Variable.constant(Tensor.zeros(Backends.cpu(), DType.F64, 2, 1, 14, 14))));
            assertTrue(e.getMessage().contains("[2, 1, 14, 14]") && e.getMessage().contains("28, 28"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new ConvDecoder(4, 12, 1, true));
            assertTrue(e.getMessage().contains("12") && e.getMessage().contains("multiple of 8"), e.getMessage());
        }
    }

    /** Frozen: the same values and the same gradient into the input, nothing into the parameters. */
    @Test
    void frozenForwardPassesGradientToTheInputOnly() {
        ConvEncoder d;
        ConvDecoder g;
        try (Init init = Init.seeded(5, Backends.cpu(), DType.F64)) {
            d = new ConvEncoder(1, 8, 1);
            g = new ConvDecoder(3, 8, 1, false);
        }
        for (FeedForward net : new FeedForward[]{d, g}) {
            Tensor in = net == d ? images(2) : Tensor.randn(Backends.cpu(), DType.F64, 9, 0, 2, 3);
            Variable a = Variable.parameter(in), b = Variable.parameter(in);
            Variable plain = net.forward(a), frozen = net.forward(b, true);
            assertArrayEquals(plain.value().toDoubleArray(), frozen.value().toDoubleArray(), 0.0);
            net.module().zeroGrad();
            frozen.square().sum().backward();
            for (Parameter p : net.module().parameters()) assertNull(p.grad(), "a frozen forward reached a parameter");
            plain.square().sum().backward();
            for (Parameter p : net.module().parameters()) assertNotNull(p.grad());
            assertArrayEquals(a.grad().toDoubleArray(), b.grad().toDoubleArray(), 1e-12);
        }
    }
}
