package org.diffusion4j.diffusion.net;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Init;
import org.diffusion4j.nn.Parameter;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

@SuppressWarnings("try") // Init and NoGrad blocks act by being open
class UNetTest {
    private final Backend cpu = Backends.cpu();

    @Test
    void unetSHasExactlyTheReferenceParameterCount() {
        UNet net;
        try (Init init = Init.seeded(1, cpu, DType.F32)) {
            net = new UNet(UNetConfig.unetS(1));
        }
        assertEquals(6_469_889L, net.parameterCount());
        assertTrue(net.namedParameters().containsKey("down.1.0.attn.q.weight"), net.namedParameters().keySet().toString());
        assertTrue(net.namedParameters().containsKey("up.0.2.res.skip.weight"));
    }

    @Test
    void classConditioningAddsOneEmbeddingRowPerClass() {
        UNet plain, conditional;
        try (Init init = Init.seeded(1, cpu, DType.F32)) {
            plain = new UNet(UNetConfig.unetS(3));
            conditional = new UNet(UNetConfig.unetS(3).withClasses(10));
        }
        assertEquals(10 * 256, conditional.parameterCount() - plain.parameterCount());
        // C_in = 3 changes only the input and output convolutions: 2 x 9 x 64 x 2 more weights and 2 more output biases
        assertEquals(6_469_889L + 2 * 9 * 64 * 2 + 2, plain.parameterCount());
    }

    @Test
    void forwardAndBackwardRunAtTinyBatch() {
        UNet net;
        try (Init init = Init.seeded(2, cpu, DType.F32)) {
            net = new UNet(new UNetConfig(1, 32, new int[]{1, 2}, 1, new int[]{1}, 0.1, 4, 32));
        }
        Tensor x = Tensor.randn(cpu, DType.F32, 3, 0, 2, 1, 12, 12);
        Tensor c = Tensor.of(cpu, new float[]{10f, 500f}, 2);
        Variable out = net.forward(Variable.constant(x), c, Conditioning.labels(new int[]{0, 3}));
        assertArrayEquals(new int[]{2, 1, 12, 12}, out.shape());
        out.square().mean().backward();
        int withGrad = 0;
        for (Parameter p : net.parameters()) {
            assertNotNull(p.grad(), "parameter without gradient");
            for (float v : p.grad().toFloatArray()) assertTrue(Float.isFinite(v));
            withGrad++;
        }
        assertEquals(net.parameters().size(), withGrad);
        // the output depends on the noise condition and on the label
        net.eval();
        double[] a = net.forward(Variable.constant(x), c, Conditioning.labels(new int[]{0, 3})).value().toDoubleArray();
        double[] b = net.forward(Variable.constant(x), Tensor.of(cpu, new float[]{20f, 500f}, 2), Conditioning.labels(new int[]{0, 3})).value().toDoubleArray();
        double[] d = net.forward(Variable.constant(x), c, Conditioning.labels(new int[]{1, 3})).value().toDoubleArray();
        assertNotEquals(a[0], b[0]);
        assertNotEquals(a[0], d[0]);
        assertEquals(a[200], b[200], 1e-6, "sample 1 is unaffected by sample 0's condition");
    }

    @Test
    void aUNetSamplesThroughItsParameterisation() {
        UNet net;
        try (Init init = Init.seeded(4, cpu, DType.F32)) {
            net = new UNet(new UNetConfig(1, 32, new int[]{1, 2}, 1, new int[]{}, 0.1, 0, 32));
        }
        net.eval();
        var schedule = org.diffusion4j.diffusion.schedule.DiscreteSchedule.ddpmLinear();
        var denoiser = new org.diffusion4j.diffusion.param.NetworkDenoiser(net, org.diffusion4j.diffusion.param.Parameterisation.V,
                schedule, org.diffusion4j.diffusion.param.NoiseConditioning.time(1));
        var r = org.diffusion4j.diffusion.sampler.Samplers.byName("ddim", java.util.Map.of("steps", "2"))
                .sample(denoiser, org.diffusion4j.diffusion.sampler.SampleRequest.of(cpu, DType.F32, 3, 2, 1, 8, 8));
        assertEquals(2, r.nfe());
        assertArrayEquals(new int[]{2, 1, 8, 8}, r.samples().shape());
        for (float v : r.samples().toFloatArray()) assertTrue(Float.isFinite(v));
    }

    @Test
    void unetSForwardAndBackwardAt28x28() {
        UNet net;
        try (Init init = Init.seeded(3, cpu, DType.F32)) {
            net = new UNet(UNetConfig.unetS(1));
        }
        Tensor x = Tensor.randn(cpu, DType.F32, 4, 0, 1, 1, 28, 28);
        Variable out = net.forward(Variable.constant(x), Tensor.of(cpu, new float[]{123f}, 1), null);
        assertArrayEquals(new int[]{1, 1, 28, 28}, out.shape());
        out.square().mean().backward();
        for (Parameter p : net.parameters()) assertNotNull(p.grad());
    }

    @Test
    void badConfigsAndInputsAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new UNetConfig(1, 48, new int[]{1, 2}, 2, new int[]{}, 0, 0, 32));
        assertTrue(e.getMessage().contains("48"));
        e = assertThrows(IllegalArgumentException.class, () -> new UNetConfig(1, 32, new int[]{1, 2}, 2, new int[]{2}, 0, 0, 32));
        assertTrue(e.getMessage().contains("attention level 2"));
        UNet net;
        try (Init init = Init.seeded(2, cpu, DType.F32)) {
            net = new UNet(new UNetConfig(1, 32, new int[]{1, 2}, 1, new int[]{}, 0, 0, 32));
        }
        e = assertThrows(IllegalArgumentException.class, () -> net.forward(Variable.constant(Tensor.zeros(cpu, DType.F32, 1, 1, 7, 7)),
                Tensor.zeros(cpu, DType.F32, 1), null));
        assertTrue(e.getMessage().contains("7x7"));
    }
}
