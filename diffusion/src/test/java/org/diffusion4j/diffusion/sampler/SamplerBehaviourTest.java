package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.schedule.TimestepSpacing;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SamplerBehaviourTest {
    private final Backend cpu = Backends.cpu();
    private final GaussianMixture gaussian = AnalyticModels.gaussian2d();

    @Test
    void ddimWithEtaZeroEncodesAndDecodesBack() {
        DdimSampler ddim = new DdimSampler(DiscreteSchedule.ddpmLinear(), 1000, TimestepSpacing.LINSPACE, 0);
        Tensor x0 = gaussian.sample(cpu, DType.F64, 33, 4, 0);
        SampleResult latent = ddim.encode(gaussian, x0);
        assertEquals(1000 * 3, latent.nfe());
        SampleResult decoded = ddim.sample(gaussian, SampleRequest.of(0, 33, 2).withInitialNoise(latent.samples()));
        assertEquals(1000, decoded.nfe());
        double[] a = x0.toDoubleArray(), b = decoded.samples().toDoubleArray();
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        assertTrue(worst < 1e-3, "DDIM round trip error " + worst);
        // and the latent looks like the prior: roughly standard normal
        double[] z = latent.samples().toDoubleArray();
        double ss = 0;
        for (double v : z) ss += v * v;
        assertEquals(1.0, ss / z.length, 0.5);
    }

    @Test
    void samplesDoNotDependOnTheBatchSize() {
        for (String name : new String[]{"ddpm", "ddim", "euler-maruyama", "pc", "dpm++2m-sde", "edm-heun", "langevin"}) {
            Map<String, String> opts = switch (name) {
                case "ddpm", "euler-maruyama", "pc" -> Map.of("steps", "20");
                case "ddim" -> Map.of("steps", "10", "eta", "1");
                case "edm-heun" -> Map.of("steps", "8", "churn", "10");
                case "langevin" -> Map.of("levels", "3", "steps-per-level", "5", "sigma-max", "3");
                default -> Map.of("steps", "10");
            };
            Sampler s = Samplers.byName(name, opts);
            double[] big = s.sample(gaussian, SampleRequest.of(42, 5, 2)).samples().toDoubleArray();
            double[] small = s.sample(gaussian, SampleRequest.of(42, 3, 2)).samples().toDoubleArray();
            assertArrayEquals(small, Arrays.copyOf(big, 6), 1e-12, name + ": the first 3 samples depend on the batch size");
            double[] single = s.sample(gaussian, SampleRequest.of(42, 1, 2)).samples().toDoubleArray();
            assertArrayEquals(single, Arrays.copyOf(big, 2), 1e-12, name + ": a batch of one differs");
            double[] other = s.sample(gaussian, SampleRequest.of(43, 3, 2)).samples().toDoubleArray();
            assertFalse(Arrays.equals(small, other), name + ": a different seed gave the same samples");
        }
    }

    @Test
    void givenInitialNoiseIsUsedAndNotConsumed() {
        Tensor z = Tensor.randn(cpu, DType.F64, 9, 0, 4, 2);
        double[] before = z.toDoubleArray();
        Sampler s = Samplers.byName("edm-heun", Map.of("steps", "5"));
        double[] a = s.sample(gaussian, SampleRequest.of(1, 4, 2).withInitialNoise(z)).samples().toDoubleArray();
        double[] b = s.sample(gaussian, SampleRequest.of(2, 4, 2).withInitialNoise(z)).samples().toDoubleArray();
        assertArrayEquals(a, b, 0.0, "a deterministic sampler from the same x_T must give the same samples");
        assertArrayEquals(before, z.toDoubleArray(), 0.0);
    }

    @Test
    void registryDescribesEverySamplerAndRejectsUnknownOptions() {
        for (Samplers.Info info : Samplers.describe()) {
            assertFalse(info.description().isBlank());
            Sampler s = Samplers.byName(info.name());
            assertEquals(info.name(), s.name());
        }
        assertTrue(Samplers.names().containsAll(java.util.List.of("ddpm", "ddim", "langevin", "euler-maruyama", "pc", "ode-euler",
                "ode-heun", "ode-rk4", "ode-rk45", "dpm++2m", "dpm++2m-sde", "edm-heun")));
        var e = assertThrows(IllegalArgumentException.class, () -> Samplers.byName("ddim", Map.of("stpes", "3")));
        assertTrue(e.getMessage().contains("stpes"));
        e = assertThrows(IllegalArgumentException.class, () -> Samplers.byName("ddim", Map.of("eta", "lots")));
        assertTrue(e.getMessage().contains("lots"));
        e = assertThrows(IllegalArgumentException.class, () -> Samplers.byName("heun2"));
        assertTrue(e.getMessage().contains("heun2"));
        e = assertThrows(IllegalArgumentException.class, () -> SampleRequest.of(0, 3, 2).withInitialNoise(Tensor.zeros(cpu, DType.F64, 3, 5)));
        assertTrue(e.getMessage().contains("[3, 5]"));
    }

    @Test
    void float32SamplingAgreesWithFloat64() {
        for (String name : new String[]{"ddim", "edm-heun", "dpm++2m"}) {
            Sampler s = Samplers.byName(name, Map.of("steps", "10"));
            double[] f64 = s.sample(gaussian, SampleRequest.of(cpu, DType.F64, 5, 9, 2)).samples().toDoubleArray();
            double[] f32 = s.sample(gaussian, SampleRequest.of(cpu, DType.F32, 5, 9, 2)).samples().toDoubleArray();
            // same Philox draws rounded to float; the deterministic samplers then differ by float32 rounding only
            assertArrayEquals(f64, f32, 1e-4, name);
        }
    }

    @Test
    void adaptiveRk45UsesFewerEvaluationsAtLooserTolerance() {
        long tight = Samplers.byName("ode-rk45", Map.of("rtol", "1e-6", "atol", "1e-6")).sample(gaussian, SampleRequest.of(3, 16, 2)).nfe();
        long loose = Samplers.byName("ode-rk45", Map.of("rtol", "1e-2", "atol", "1e-2")).sample(gaussian, SampleRequest.of(3, 16, 2)).nfe();
        assertTrue(loose < tight, "loose " + loose + " vs tight " + tight);
    }
}
