package org.diffusion4j.diffusion.likelihood;

import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.sampler.SampleResult;
import org.diffusion4j.diffusion.sampler.Samplers;
import org.diffusion4j.diffusion.sde.VpSde;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class AnalyticModelEvaluationTest {
    @Test
    void sampledPointsHaveTheExactAndTheOdeLikelihood() {
        GaussianMixture g = AnalyticModels.byName("checkerboard-gmm");
        SampleResult r = AnalyticModelEvaluation.sample(g, Samplers.byName("dpm++2m", Map.of("steps", "30")), Backends.cpu(), DType.F64, 150, 4);
        assertEquals(30, r.nfe());
        double exact = AnalyticModelEvaluation.exactNllBitsPerDim(g, r.samples());
        // the entropy of the mixture per dimension, estimated independently from exact samples
        double reference = AnalyticModelEvaluation.exactNllBitsPerDim(g, g.sample(Backends.cpu(), DType.F64, 4000, 9, 0));
        assertEquals(reference, exact, 0.15, "samples of the right distribution have its entropy as mean NLL");
        double ode = AnalyticModelEvaluation.odeNllBitsPerDim(g, new VpSde(), r.samples(), 1);
        assertEquals(exact, ode, 0.005 * Math.abs(exact) + 0.01);
    }
}
