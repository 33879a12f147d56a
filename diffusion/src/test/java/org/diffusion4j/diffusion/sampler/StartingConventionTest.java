package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one starting convention: for the same standard-normal z, every sampler of one process asks its first question
 * of the model at the same point. The first denoiser call of each sampler that starts at the process's largest noise
 * level is recorded (variance-exploding y and sigma) and must agree with the first sampler's to 1e-12 relative.
 */
class StartingConventionTest {
    /** Keeps the first call's input and noise level. */
    private static final class FirstCall implements Denoiser {
        private final Denoiser inner;
        double[] y;
        double sigma = Double.NaN;

        FirstCall(Denoiser inner) { this.inner = inner; }

        @Override public Variable denoise(Variable x, double s) {
            if (y == null) {
                y = x.value().contiguous().toDoubleArray();
                sigma = s;
            }
            return inner.denoise(x, s);
        }
    }

    @ParameterizedTest(name = "process {0}")
    @CsvSource({"chain, 'ddpm,ddim,euler,euler-ancestral,edm-heun,dpm++2m,dpm++2m-sde,dpm++3m,unipc'",
            "vp, 'euler-maruyama,pc,ode-euler,ode-rk4,ode-rk45,euler,euler-ancestral,edm-heun,dpm++2m,dpm++3m,unipc'",
            "ve, 'euler-maruyama,pc,ode-heun,langevin,euler,edm-heun,dpm++2m,unipc'",
            "edm, 'euler,euler-ancestral,edm-heun,dpm++2m,dpm++3m-sde,unipc,lms'"})
    void everySamplerStartsAtTheSamePoint(String process, String samplers) {
        GaussianMixture g = AnalyticModels.eightGaussians();
        List<String> names = List.of(samplers.split(","));
        List<FirstCall> calls = new ArrayList<>();
        for (String name : names) {
            Map<String, String> o = new LinkedHashMap<>();
            o.put("process", process);
            if (process.equals("ve")) o.put("sigma-max", "50");
            if (name.equals("langevin")) { o.put("steps-per-level", "1"); o.put("levels", "2"); }
            if (Samplers.info(name).options().stream().anyMatch(opt -> opt.name().equals("steps"))) o.put("steps", "3");
            if (name.equals("ode-rk45")) { o.put("rtol", "1e-2"); o.put("atol", "1e-2"); }
            FirstCall first = new FirstCall(g);
            Samplers.byName(name, o).sample(first, SampleRequest.of(5, 4, 2));
            calls.add(first);
        }
        FirstCall ref = calls.get(0);
        double scale = 0;
        for (double v : ref.y) scale = Math.max(scale, Math.abs(v));
        for (int k = 1; k < calls.size(); k++) {
            FirstCall c = calls.get(k);
            assertEquals(ref.sigma, c.sigma, 1e-12 * ref.sigma, names.get(k) + ": first noise level vs " + names.get(0));
            for (int i = 0; i < ref.y.length; i++) {
                assertTrue(Math.abs(ref.y[i] - c.y[i]) <= 1e-12 * scale, names.get(k) + ": first point " + c.y[i] + " vs "
                        + names.get(0) + "'s " + ref.y[i] + " at " + i);
            }
        }
    }
}
