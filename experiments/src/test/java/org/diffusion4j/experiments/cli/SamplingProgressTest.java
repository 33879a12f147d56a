package org.diffusion4j.experiments.cli;

import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.sampler.SampleRequest;
import org.diffusion4j.diffusion.sampler.SampleResult;
import org.diffusion4j.diffusion.sampler.Sampler;
import org.diffusion4j.diffusion.sampler.Samplers;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SamplingProgressTest {

    /** Every sampler: the wrapper counts exactly the NFE the sampler reports, and the samples are unchanged. */
    @Test void countsOneEvaluationPerNetworkCallOfEverySamplerAndChangesNothing() {
        GaussianMixture model = AnalyticModels.byName("8gaussians");
        for (String name : Samplers.names()) {
            boolean hasSteps = Samplers.info(name).options().stream().anyMatch(o -> o.name().equals("steps"));
            Sampler s = hasSteps ? Samplers.byName(name, Map.of("steps", "8")) : Samplers.byName(name);
            SampleRequest request = SampleRequest.of(5, 16, model.dimension());
            SampleResult plain = s.sample(model, request);
            SamplingProgress counted = new SamplingProgress(model, name, 0, new PrintWriter(new StringWriter()));
            SampleResult wrapped = s.sample(counted, request);
            assertEquals(plain.nfe(), counted.evaluations(), name + ": evaluations counted vs NFE reported");
            assertArrayEquals(plain.samples().toDoubleArray(), wrapped.samples().toDoubleArray(), 0.0, name + ": same samples");
        }
    }

    @Test void reportsEveryIntervalWithRateAndEta() {
        StringWriter text = new StringWriter();
        long[] now = {0};
        GaussianMixture model = AnalyticModels.byName("gaussian");
        SamplingProgress p = new SamplingProgress(model, "sampling ddpm", 100, new PrintWriter(text), () -> now[0], 5_000_000_000L);
        var x = org.diffusion4j.tensor.Tensor.zeros(org.diffusion4j.tensor.Backends.cpu(), org.diffusion4j.tensor.DType.F64, 4, 2);
        for (int i = 0; i < 12; i++) {
            now[0] += 1_000_000_000L;   // one evaluation a second
            p.denoise(x, 1.0);
        }
        assertEquals("sampling ddpm: 5/100 network evaluations, 5.0 s, 1.00/s, ETA 95 s\n"
                + "sampling ddpm: 10/100 network evaluations, 10.0 s, 1.00/s, ETA 90 s\n", text.toString().replace("\r", ""));
    }
}
