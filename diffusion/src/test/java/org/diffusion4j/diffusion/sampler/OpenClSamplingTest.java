package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.BackendProvider;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The same seed gives the same samples on the CPU and on OpenCL (PoCL in CI). Skipped with a notice when no
 * OpenCL backend or device exists, but failing when the environment says CI=true: CI must run it.
 */
class OpenClSamplingTest {

    private static Backend openClOrSkip() {
        BackendProvider p = Backends.provider("opencl");
        String why = p == null ? "no OpenCL backend on the class path" : (p.defaultDevice() < 0 ? "no OpenCL device: " + p.unavailableReason() : null);
        if (why != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("CI=true but " + why);
            System.err.println("NOTICE: skipping OpenCL sampling test: " + why);
            Assumptions.abort(why);
        }
        return Backends.select("opencl");
    }

    @Test
    void sameSeedGivesTheSameSamplesOnCpuAndOpenCl() {
        Backend cl = openClOrSkip();
        GaussianMixture g = AnalyticModels.eightGaussians();
        for (String name : new String[]{"ddim", "ddpm", "edm-heun", "dpm++2m-sde"}) {
            Sampler s = Samplers.byName(name, Map.of("steps", "12"));
            double[] cpu = s.sample(g, SampleRequest.of(Backends.cpu(), DType.F64, 7, 17, 2)).samples().toDoubleArray();
            double[] gpu = s.sample(g, SampleRequest.of(cl, DType.F64, 7, 17, 2)).samples().toDoubleArray();
            // same Philox bits; Box-Muller and the model's exp/log may differ in the last bits on the device
            assertArrayEquals(cpu, gpu, 1e-9, name);
        }
    }
}
