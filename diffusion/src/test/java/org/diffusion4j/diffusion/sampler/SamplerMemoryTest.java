package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every step's intermediates are released when the step ends: a denoiser that remembers every tensor it returned
 * finds all of them closed after sampling (the samples themselves aside), for every sampler. On the GPU this is what
 * keeps device memory flat over thousands of steps.
 */
@SuppressWarnings("try") // the outer Scope acts by being open
class SamplerMemoryTest {
    private static final class RecordingDenoiser implements Denoiser {
        final GaussianMixture inner = AnalyticModels.eightGaussians();
        final List<Tensor> returned = new ArrayList<>();

        @Override public Variable denoise(Variable x, double sigma) {
            Variable d = inner.denoise(x, sigma);
            returned.add(d.value());
            return d;
        }
    }

    @Test
    void intermediatesAreClosedAfterEachStep() {
        for (String name : Samplers.names()) {
            Map<String, String> opts = switch (name) {
                case "langevin" -> Map.of("levels", "3", "steps-per-level", "4");
                case "ode-rk45" -> Map.of("rtol", "1e-3", "atol", "1e-3");
                default -> Map.of("steps", "6");
            };
            RecordingDenoiser model = new RecordingDenoiser();
            try (Scope outer = Scope.open()) {
                Tensor samples = Samplers.byName(name, opts).sample(model, SampleRequest.of(3, 7, 2)).samples();
                int open = 0;
                for (Tensor t : model.returned) if (!t.storage().isClosed() && t.storage() != samples.storage()) open++;
                assertEquals(0, open, name + ": " + open + " of " + model.returned.size() + " denoiser outputs are still open");
                assertFalse(samples.storage().isClosed(), name + ": the samples must survive");
            }
        }
    }
}
