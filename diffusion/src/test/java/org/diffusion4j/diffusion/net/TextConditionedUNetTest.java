package org.diffusion4j.diffusion.net;

import org.diffusion4j.autograd.GradCheck;
import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.param.NetworkDenoiser;
import org.diffusion4j.diffusion.param.NoiseConditioning;
import org.diffusion4j.diffusion.param.Parameterisation;
import org.diffusion4j.diffusion.sde.VeSde;
import org.diffusion4j.nn.Init;
import org.diffusion4j.nn.Parameter;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.BackendProvider;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The text encoder + cross-attention UNet as one network: gradients by central differences (F64), padding that
 * changes nothing, CPU against OpenCL, classifier-free guidance with the empty caption, and the unconditional UNet-S
 * unchanged by the new blocks. Tiny sizes: a 4x4 image, 2 levels of 32 channels, captions of 3 and 5 tokens.
 */
@SuppressWarnings("try") // Init and NoGrad blocks act by being open
class TextConditionedUNetTest {
    private static final Backend CPU = Backends.cpu();
    private static final int PAD = 0, VOCAB = 7, WIDTH = 8;
    /** Two captions of length 3: "3 4 _" and "5 2 6". */
    private static final int[] IDS = {3, 4, PAD, 5, 2, 6};

    private static TextConditionedUNet net(Backend b, DType dtype) {
        try (Init init = Init.seeded(21, b, dtype)) {
            return new TextConditionedUNet(new TextEncoder.Config(VOCAB, 5, WIDTH, 1, 2),
                    new UNetConfig(1, 32, new int[]{1, 2}, 1, new int[]{1}, 0.0, 0, 32).withContext(WIDTH, 2));
        }
    }

    private static Conditioning captions(int[] ids, int length) { return Conditioning.tokens(new TokenIds(ids, 2, length, PAD)); }

    private static Tensor x(Backend b, DType d) { return Tensor.randn(b, d, 5, 0, 2, 1, 4, 4); }

    private static Tensor t(Backend b, DType d) { return Tensor.of(b, d, new double[]{0.3, 1.7}, 2); }

    @Test void theOutputHasTheImageShapeAndEveryParameterIsTrained() {
        TextConditionedUNet net = net(CPU, DType.F64);
        Variable out = net.forward(Variable.constant(x(CPU, DType.F64)), t(CPU, DType.F64), captions(IDS, 3));
        assertArrayEquals(new int[]{2, 1, 4, 4}, out.shape());
        out.square().sum().backward();
        for (Map.Entry<String, Parameter> e : net.namedParameters().entrySet()) {
            assertNotNull(e.getValue().grad(), e.getKey() + " received no gradient");
        }
        // the cross-attention sits after the self-attention at the attention level and in the middle
        assertTrue(net.namedParameters().containsKey("unet.down.1.0.cross.k.weight"));
        assertTrue(net.namedParameters().containsKey("unet.middle.cross.v.weight"));
        assertTrue(net.namedParameters().containsKey("unet.up.0.1.cross.q.weight"));
        assertTrue(net.namedParameters().containsKey("text.tokens.weight"));
        // the caption changes the output
        double[] a = out.value().toDoubleArray();
        double[] b = net.forward(Variable.constant(x(CPU, DType.F64)), t(CPU, DType.F64), captions(new int[]{3, 1, PAD, 5, 2, 6}, 3))
                .value().toDoubleArray();
        assertNotEquals(a[0], b[0]);
        assertEquals(a[16], b[16], 1e-12, "caption 1 is unaffected by caption 0");
    }

    @Test void trailingPaddingChangesNothing() {
        TextConditionedUNet net = net(CPU, DType.F64);
        double[] three = net.forward(Variable.constant(x(CPU, DType.F64)), t(CPU, DType.F64), captions(IDS, 3)).value().toDoubleArray();
        int[] five = {3, 4, PAD, PAD, PAD, 5, 2, 6, PAD, PAD};
        double[] padded = net.forward(Variable.constant(x(CPU, DType.F64)), t(CPU, DType.F64), captions(five, 5)).value().toDoubleArray();
        assertArrayEquals(three, padded, 1e-12);
    }

    @Test void gradientsMatchCentralDifferences() {
        TextConditionedUNet net = net(CPU, DType.F64);
        Tensor r = Tensor.randn(CPU, DType.F64, 6, 0, 2, 1, 4, 4);
        Conditioning c = captions(IDS, 3);
        double err = GradCheck.check(v -> net.forward(v[0], t(CPU, DType.F64), c).mul(Variable.constant(r)), x(CPU, DType.F64));
        assertTrue(err <= GradCheck.DEFAULT_TOLERANCE, "input: max error " + err);
        net.zeroGrad();
        loss(net, r, c).backward();
        double h = 1e-6;
        for (String name : new String[]{"text.tokens.weight", "text.positions.weight", "text.blocks.0.attention.q.weight",
                "text.norm.weight", "unet.context_embedding.weight", "unet.down.1.0.cross.k.weight", "unet.middle.cross.v.weight",
                "unet.up.0.1.cross.proj.weight"}) {
            Parameter p = net.namedParameters().get(name);
            double[] base = p.value().toDoubleArray(), analytic = p.grad().toDoubleArray();
            // token row 3 (in caption 0) and the last row (the start token), and the ends of the other tensors
            int[] at = name.equals("text.tokens.weight") ? new int[]{3 * WIDTH + 1, VOCAB * WIDTH + 2, PAD * WIDTH}
                    : new int[]{0, base.length / 2, base.length - 1};
            for (int i : at) {
                Tensor original = p.value();
                double[] plus = base.clone(), minus = base.clone();
                plus[i] += h;
                minus[i] -= h;
                p.assign(Tensor.of(CPU, DType.F64, plus, p.shape()));
                double lp = lossValue(net, r, c);
                p.assign(Tensor.of(CPU, DType.F64, minus, p.shape()));
                double lm = lossValue(net, r, c);
                p.assign(original);
                double numeric = (lp - lm) / (2 * h);
                assertEquals(numeric, analytic[i], 1e-6 * Math.max(1, Math.abs(numeric)), name + "[" + i + "]");
            }
        }
        // the pad embedding is masked out everywhere: no gradient reaches it
        double[] padRow = net.namedParameters().get("text.tokens.weight").grad().toDoubleArray();
        for (int e = 0; e < WIDTH; e++) assertEquals(0.0, padRow[PAD * WIDTH + e], "pad row, feature " + e);
    }

    private static Variable loss(TextConditionedUNet net, Tensor r, Conditioning c) {
        return net.forward(Variable.constant(x(CPU, DType.F64)), t(CPU, DType.F64), c).mul(Variable.constant(r)).sum();
    }

    private static double lossValue(TextConditionedUNet net, Tensor r, Conditioning c) {
        try (NoGrad g = NoGrad.enter()) { return loss(net, r, c).value().item(); }
    }

    @Test void openClForwardAndGradientsMatchTheCpu() {
        Backend cl = openClOrSkip();
        TextConditionedUNet onCpu = net(CPU, DType.F64), onCl = net(cl, DType.F64);
        Variable yc = onCpu.forward(Variable.constant(x(CPU, DType.F64)), t(CPU, DType.F64), captions(IDS, 3));
        Variable yg = onCl.forward(Variable.constant(x(cl, DType.F64)), t(cl, DType.F64), captions(IDS, 3));
        assertArrayEquals(yc.value().toDoubleArray(), yg.value().toDoubleArray(), 1e-10);
        yc.square().sum().backward();
        yg.square().sum().backward();
        for (String name : onCpu.namedParameters().keySet()) assertArrayEquals(onCpu.namedParameters().get(name).grad().toDoubleArray(),
                onCl.namedParameters().get(name).grad().toDoubleArray(), 1e-8, name);
        // and in float32, the dtype runs train in
        double[] c32 = net(CPU, DType.F32).forward(Variable.constant(x(CPU, DType.F32)), t(CPU, DType.F32), captions(IDS, 3))
                .value().toDoubleArray();
        double[] g32 = net(cl, DType.F32).forward(Variable.constant(x(cl, DType.F32)), t(cl, DType.F32), captions(IDS, 3))
                .value().toDoubleArray();
        assertArrayEquals(c32, g32, 1e-4);
    }

    @Test void guidanceWithWeightOneIsTheConditionalModelAndOtherWeightsExtrapolateFromTheEmptyCaption() {
        TextConditionedUNet net = net(CPU, DType.F64);
        net.eval();
        NetworkDenoiser d = new NetworkDenoiser(net, Parameterisation.EPSILON, new VeSde(0.01, 10), NoiseConditioning.sigma());
        Conditioning c = captions(IDS, 3);
        Tensor y = Tensor.randn(CPU, DType.F64, 8, 0, 2, 1, 4, 4);
        double[] conditional = d.withCondition(c).denoise(y, 0.7).toDoubleArray();
        assertArrayEquals(conditional, d.withGuidance(c, 1.0).denoise(y, 0.7).toDoubleArray(), 0.0);
        // the unconditional form is the empty caption
        for (int id : c.unconditional().tokens().ids()) assertEquals(PAD, id);
        double[] empty = d.withCondition(captions(new int[6], 3)).denoise(y, 0.7).toDoubleArray();
        double[] guided = d.withGuidance(c, 3.0).denoise(y, 0.7).toDoubleArray();
        for (int i = 0; i < guided.length; i++) {
            assertEquals(empty[i] + 3.0 * (conditional[i] - empty[i]), guided[i], 1e-10, "element " + i);
        }
        assertNotEquals(conditional[0], empty[0], "the caption matters");
    }

    @Test void unconditionalUNetSIsUnchangedAndTheContextAddsTheCountedParameters() {
        UNet plain, text;
        try (Init init = Init.seeded(1, CPU, DType.F32)) { plain = new UNet(UNetConfig.unetS(1)); }
        try (Init init = Init.seeded(1, CPU, DType.F32)) { text = new UNet(UNetConfig.unetS(1).withContext(64, 4)); }
        assertEquals(6_469_889L, plain.parameterCount());
        for (String name : plain.namedParameters().keySet()) assertFalse(name.contains("cross") || name.contains("context"), name);
        // 6 cross-attentions at 128 channels (2 down, 1 middle, 3 up at 14x14), each 2C + 2(C^2 + C) + 2EC, and
        // Linear(64, 256) for the pooled text
        long c = 128, e = 64, cross = 2 * c + 2 * (c * c + c) + 2 * e * c;
        assertEquals(plain.parameterCount() + 6 * cross + e * 256 + 256, text.parameterCount());
    }

    @Test void badConditionsAreNamed() {
        TextConditionedUNet net = net(CPU, DType.F64);
        Variable xv = Variable.constant(x(CPU, DType.F64));
        var e = assertThrows(IllegalArgumentException.class, () -> net.forward(xv, t(CPU, DType.F64), Conditioning.NONE));
        assertTrue(e.getMessage().contains("token ids"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.forward(xv, t(CPU, DType.F64), captions(new int[]{3, 9, 0, 1, 1, 1}, 3)));
        assertTrue(e.getMessage().contains("token id 9") && e.getMessage().contains("0..6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.forward(xv, t(CPU, DType.F64), captions(new int[12], 6)));
        assertTrue(e.getMessage().contains("6 tokens"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.unet().forward(xv, t(CPU, DType.F64), captions(IDS, 3)));
        assertTrue(e.getMessage().contains("reads no token ids"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.unet().forward(xv, t(CPU, DType.F64), Conditioning.NONE));
        assertTrue(e.getMessage().contains("reads a context"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TextConditionedUNet(new TextEncoder.Config(VOCAB, 5, 16, 1, 2),
                new UNetConfig(1, 32, new int[]{1, 2}, 1, new int[]{1}, 0.0, 0, 32).withContext(WIDTH, 2)));
        assertTrue(e.getMessage().contains("width 8") && e.getMessage().contains("width is 16"), e.getMessage());
    }

    private static Backend openClOrSkip() {
        BackendProvider p = Backends.provider("opencl");
        String why = null;
        BackendProvider.DeviceInfo chosen = null;
        if (p == null) {
            why = "no OpenCL backend on the class path";
        } else {
            for (BackendProvider.DeviceInfo d : p.devices()) {
                if (d.index() == p.defaultDevice() && d.fp64()) { chosen = d; break; }
                if (chosen == null && d.fp64()) chosen = d;
            }
            if (chosen == null) why = p.devices().isEmpty() ? "no OpenCL device: " + p.unavailableReason() : "no OpenCL device supports float64";
        }
        if (why != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("CI=true but " + why);
            System.err.println("NOTICE: skipping OpenCL text-conditioning test: " + why);
            Assumptions.abort(why);
        }
        return Backends.select("opencl:" + chosen.index());
    }
}
