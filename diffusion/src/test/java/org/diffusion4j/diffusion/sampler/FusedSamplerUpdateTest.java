package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.net.MlpScoreNetwork;
import org.diffusion4j.diffusion.param.NetworkDenoiser;
import org.diffusion4j.diffusion.param.NoiseConditioning;
import org.diffusion4j.diffusion.param.Parameterisation;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.sde.VeSde;
import org.diffusion4j.nn.Init;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fused sampler updates (DDIM and DDPM fold the parameterisation's c_skip, c_out into one linear
 * combination, {@link Denoiser#denoiseAffine}) sample what the unfused path samples, to float64 rounding, for every
 * parameterisation; the unfused path is the same network denoiser behind a wrapper that offers no affine form.
 */
@SuppressWarnings("try")
class FusedSamplerUpdateTest {
    private static final Parameterisation[] PARAMETERISATIONS = {
            Parameterisation.EPSILON, Parameterisation.X0, Parameterisation.V, Parameterisation.SCORE, Parameterisation.edm(0.5)};

    /** Only denoise: what a model without an affine form looks like to a sampler. */
    private record Unfused(Denoiser inner) implements Denoiser {
        @Override public Variable denoise(Variable x, double sigma) { return inner.denoise(x, sigma); }
    }

    /** Counts the affine calls, to show the fused path ran. */
    private static final class Spy implements Denoiser {
        final Denoiser inner;
        int affineCalls;

        Spy(Denoiser inner) { this.inner = inner; }

        @Override public Variable denoise(Variable x, double sigma) { return inner.denoise(x, sigma); }

        @Override public Optional<AffineDenoised> denoiseAffine(Tensor x, double scale, double sigma) {
            affineCalls++;
            return inner.denoiseAffine(x, scale, sigma);
        }
    }

    private static MlpScoreNetwork network() {
        try (Init init = Init.seeded(11, Backends.cpu(), DType.F64)) {
            return new MlpScoreNetwork(2, 16, 2, 8);
        }
    }

    private static void assertSameSamples(String what, SampleResult expected, SampleResult actual) {
        assertEquals(expected.nfe(), actual.nfe(), what + ": NFE");
        double[] e = expected.samples().toDoubleArray(), a = actual.samples().toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertTrue(Math.abs(e[i] - a[i]) <= 1e-9 * (1 + Math.abs(e[i])), what + ": element " + i + " fused " + a[i] + ", unfused " + e[i]);
        }
    }

    @Test void discreteSamplersMatchTheUnfusedUpdate() {
        DiscreteSchedule schedule = DiscreteSchedule.linear(1000, 1e-4, 0.02);
        MlpScoreNetwork net = network();
        Map<String, Map<String, String>> samplers = Map.of(
                "ddim", Map.of("steps", "10"), "ddim eta=1", Map.of("steps", "10", "eta", "1"), "ddpm", Map.of("steps", "25"));
        for (Parameterisation p : PARAMETERISATIONS) {
            NetworkDenoiser d = new NetworkDenoiser(net, p, schedule, NoiseConditioning.time(1));
            for (var e : samplers.entrySet()) {
                Sampler s = Samplers.byName(e.getKey().split(" ")[0], e.getValue());
                SampleRequest r = SampleRequest.of(Backends.cpu(), DType.F64, 3, 7, 2);
                Spy spy = new Spy(d);
                SampleResult fused = s.sample(spy, r);
                assertEquals(fused.nfe(), spy.affineCalls, e.getKey() + " " + p + ": every evaluation took the fused path");
                assertSameSamples(e.getKey() + " " + p, s.sample(new Unfused(d), r), fused);
            }
        }
    }

    /** D(scale x; sigma) from the affine form equals denoise(scale x, sigma), for each parameterisation and process. */
    @Test void theAffineFormIsTheDenoiser() {
        MlpScoreNetwork net = network();
        Tensor x = Tensor.randn(Backends.cpu(), DType.F64, 9, 0, 4, 2);
        for (Parameterisation p : PARAMETERISATIONS) {
            for (var process : new org.diffusion4j.diffusion.schedule.MarginalProcess[]{DiscreteSchedule.linear(1000, 1e-4, 0.02), new VeSde(0.01, 50)}) {
                NetworkDenoiser d = new NetworkDenoiser(net, p, process, NoiseConditioning.sigma());
                for (double sigma : new double[]{0.05, 1.3, 20}) {
                    double scale = 0.37;
                    double[] expected = d.denoise(x.mul(scale), sigma).toDoubleArray();
                    double[] actual = d.denoiseAffine(x, scale, sigma).orElseThrow().denoised(x).toDoubleArray();
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(expected[i], actual[i], 1e-10 * (1 + Math.abs(expected[i])), p + " " + process + " sigma " + sigma + " element " + i);
                    }
                }
            }
        }
    }
}
