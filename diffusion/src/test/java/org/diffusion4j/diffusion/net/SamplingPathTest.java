package org.diffusion4j.diffusion.net;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Init;
import org.diffusion4j.nn.Parameter;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.BackendProvider;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Without a tape the UNet takes its sampling path: all time projections in one GEMM over the joined weights
 * (TimeProjections) and attention's q, k, v and projection as GEMMs (SelfAttention2d). With a tape it runs every layer on
 * its own. Both must give the same output within float32 rounding, on the CPU and on OpenCL, also after a time
 * projection's and an attention weight's values change in place (the joined copies are rebuilt), and with the
 * parameter names unchanged.
 */
@SuppressWarnings("try")
class SamplingPathTest {
    private static final UNetConfig SMALL = new UNetConfig(1, 32, new int[]{1, 2}, 1, new int[]{1}, 0, 0, 32);

    private static List<Backend> backends() {
        List<Backend> out = new ArrayList<>(List.of(Backends.cpu()));
        BackendProvider p = Backends.provider("opencl");
        if (p != null && !p.devices().isEmpty()) out.add(Backends.select("opencl:" + p.devices().get(0).index()));
        else if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("CI=true but no OpenCL device");
        return out;
    }

    private static void assertNear(float[] expected, float[] actual, String what) {
        double scale = 0, err = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            err = Math.max(err, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(err <= 1e-5 * scale, what + ": max|sampling - taped| = " + err + " for max|taped| = " + scale);
    }

    @Test void samplingPathEqualsTheLayerByLayerForward() {
        for (Backend be : backends()) {
            UNet net;
            try (Init init = Init.seeded(11, Backends.cpu(), DType.F32)) { net = new UNet(SMALL); }
            net.to(be);
            net.eval();
            Tensor x = Tensor.randn(be, DType.F32, 1, 0, 2, 1, 8, 8);
            Tensor t = Tensor.of(be, new float[]{3f, 700f}, 2);
            for (int round = 0; round < 2; round++) {
                float[] sampling;
                try (NoGrad ng = NoGrad.enter()) { sampling = net.forward(Variable.constant(x), t, null).value().toFloatArray(); }
                float[] taped = net.forward(Variable.constant(x), t, null).value().toFloatArray();
                assertNear(taped, sampling, be.description() + " round " + round);
                // an optimiser-like in-place change of a time projection and of attention's v: the joined copies must follow
                for (String name : new String[]{"middle.res2.time.weight", "middle.res2.time.bias", "middle.attn.v.weight"}) {
                    Parameter p = net.namedParameters().get(name);
                    assertNotNull(p, "parameter " + name + " keeps its name");
                    p.update(p.value().mul(-2).add(0.05));
                }
            }
        }
    }
}
