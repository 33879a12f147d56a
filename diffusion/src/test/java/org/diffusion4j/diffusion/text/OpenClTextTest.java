package org.diffusion4j.diffusion.text;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Init;
import org.diffusion4j.nn.TokenTransformer;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.BackendProvider;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The diffusion and autoregressive objectives with a TokenTransformer agree on the CPU and on OpenCL (PoCL in CI):
 * losses, parameter gradients and sampled tokens. Skipped with a notice without an OpenCL float64 device, except
 * under CI=true, where it fails.
 */
class OpenClTextTest {
    private static final int V = 5, N = 3, L = 6;

    private static Backend openClOrSkip() {
        BackendProvider p = Backends.provider("opencl");
        String why = null;
        BackendProvider.DeviceInfo chosen = null;
        if (p == null) why = "no OpenCL backend on the class path";
        else {
            for (BackendProvider.DeviceInfo d : p.devices()) if (d.fp64() && chosen == null) chosen = d;
            if (chosen == null) why = p.devices().isEmpty() ? "no OpenCL device: " + p.unavailableReason() : "no OpenCL device supports float64";
        }
        if (why != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("CI=true but " + why);
            System.err.println("NOTICE: skipping OpenCL text test: " + why);
            Assumptions.abort(why);
        }
        return Backends.select("opencl:" + chosen.index());
    }

    private static TokenTransformer net(Backend b, boolean causal) {
        try (Init init = Init.seeded(41, b, DType.F64)) {
            return new TokenTransformer(new TokenTransformer.Config(V + 1, V, L, 8, 1, 2, causal));
        }
    }

    @Test void objectivesGradientsAndSamplesAgreeOnCpuAndOpenCl() {
        Backend cl = openClOrSkip();
        int[] x = {0, 1, 2, 3, 4, 0, 4, 4, 3, 2, 1, 1, 2, 0, 2, 1, 3, 4};
        MaskedDiffusionObjective mdlm = new MaskedDiffusionObjective(MaskingSchedule.LINEAR, V);
        AutoregressiveObjective ar = new AutoregressiveObjective(V);
        for (boolean causal : new boolean[]{false, true}) {
            TokenTransformer cpu = net(Backends.cpu(), causal), gpu = net(cl, causal);
            TokenDenoiser dc = cpu::forward, dg = gpu::forward;
            Variable lc = causal ? ar.loss(dc, x, N, L) : mdlm.loss(dc, x, N, L, 3, 0);
            Variable lg = causal ? ar.loss(dg, x, N, L) : mdlm.loss(dg, x, N, L, 3, 0);
            assertEquals(lc.value().item(), lg.value().item(), 1e-10);
            lc.backward();
            lg.backward();
            for (String name : cpu.namedParameters().keySet()) assertArrayEquals(
                    cpu.namedParameters().get(name).grad().toDoubleArray(),
                    gpu.namedParameters().get(name).grad().toDoubleArray(), 1e-9, name);
            int[] sc = causal ? ar.sample(dc, 2, L, 5) : new AncestralUnmaskingSampler(mdlm.process(), 8, true).sample(dc, 2, L, 5).tokens();
            int[] sg = causal ? ar.sample(dg, 2, L, 5) : new AncestralUnmaskingSampler(mdlm.process(), 8, true).sample(dg, 2, L, 5).tokens();
            assertArrayEquals(sc, sg, causal ? "autoregressive samples" : "diffusion samples");
        }
    }
}
