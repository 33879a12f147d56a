package org.diffusion4j.experiments.train;

import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.sde.Sde;
import org.diffusion4j.experiments.config.ConfigLoader;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.diffusion.sampler.SamplingProcess;
import org.diffusion4j.diffusion.sampler.Samplers;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class RunSamplersTest {
    private static TrainConfig config(String... overrides) { return ConfigLoader.parse("", List.of(overrides)); }

    @Test
    void discreteLinearChainMapsToTheVpSdeItConvergesTo() {
        // Song et al. 2021, sec. 3.4 / appendix B: beta(t) = T beta_{tT}, so abar_k = prod (1 - beta_i) ~ exp(-int_0^t beta)
        // with t = (k+1)/T. The two differ by the Riemann offset (~5% of sum beta for small k) and by sum beta_i^2 / 2
        // (0.067 at k = 999): within 5% on the noise level sigma = sqrt((1 - abar) / abar) everywhere.
        TrainConfig c = config("diffusion.timesteps=1000", "diffusion.betaStart=1e-4", "diffusion.betaEnd=0.02");
        TrainingSetup setup = new TrainingSetup(c, Backends.cpu());
        Sde sde = RunSamplers.sdeForRun(c, setup);
        DiscreteSchedule schedule = setup.schedule();
        for (int k : new int[]{9, 99, 499, 999}) {
            double t = (k + 1) / 1000.0;
            assertEquals(1.0, sde.noiseLevel(t) / schedule.sigma(k), 0.05, "sigma at k = " + k);
        }
    }

    @Test
    void otherObjectivesUseTheirOwnProcess() {
        TrainConfig dsm = config("diffusion.objective=dsm", "diffusion.sigmaMin=0.02", "diffusion.sigmaMax=30");
        Sde ve = RunSamplers.sdeForRun(dsm, new TrainingSetup(dsm, Backends.cpu()));
        assertEquals(30, ve.noiseLevel(ve.endTime()), 1e-9);
        TrainConfig cosine = config("diffusion.schedule=cosine");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunSamplers.sdeForRun(cosine, new TrainingSetup(cosine, Backends.cpu())));
        assertTrue(e.getMessage().contains("cosine"), e.getMessage());
    }

    @Test
    void commandLineNamesMapToTheRegistryAndBack() {
        assertEquals("dpm++2m", Samplers.canonicalName("dpmpp-2m"));
        assertEquals("dpm++2m-sde", Samplers.canonicalName("DPMPP_2M_SDE"));
        assertEquals("dpmpp-2m-sde", Samplers.cliName("dpm++2m-sde"));
        assertEquals("edm-heun", Samplers.canonicalName("heun"));
        assertEquals("ode-rk45", Samplers.canonicalName("ode-rk45"));
    }

    @Test
    void aRunsProcessIsTypedOnceFromItsConfig() {
        TrainConfig c = config("diffusion.schedule=cosine");
        TrainingSetup setup = new TrainingSetup(c, Backends.cpu());
        SamplingProcess.Chain chain = assertInstanceOf(SamplingProcess.Chain.class, RunSamplers.processForRun(c, setup));
        assertEquals(setup.schedule().alphaBar(500), chain.schedule().alphaBar(500), 0.0, "the run's own schedule");
        assertNull(chain.continuousLimit(), "cosine has no continuous limit here");
        TrainConfig edm = config("diffusion.objective=edm", "diffusion.sigmaMin=0.01", "diffusion.sigmaMax=40");
        SamplingProcess.Continuous p = assertInstanceOf(SamplingProcess.Continuous.class,
                RunSamplers.processForRun(edm, new TrainingSetup(edm, Backends.cpu())));
        assertEquals(0.01, p.sigmaMin(), 0.0);
        assertEquals(40, p.sigmaMax(), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunSamplers.forRun(c, setup, "euler-maruyama", 10, Map.of()));
        assertTrue(e.getMessage().contains("continuous limit"), e.getMessage());
        assertEquals("dpm++3m", RunSamplers.forRun(c, setup, "dpmpp-3m", 10, Map.of()).name());
        TrainConfig example = org.diffusion4j.experiments.config.ConfigLoader.load(java.nio.file.Path.of("configs", "swiss-roll-dpmpp-3m.yaml"), List.of());
        assertEquals("dpm++3m", RunSamplers.forRun(example, new TrainingSetup(example, Backends.cpu()), example.sampling().sampler(),
                example.sampling().steps(), Map.of()).name());
    }

    @Test
    void ddimOnARunRejectsOptionsItDoesNotTake() {
        TrainConfig c = config();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunSamplers.forRun(c, new TrainingSetup(c, Backends.cpu()), "ddim", 10, Map.of("schedule", "cosine")));
        assertTrue(e.getMessage().contains("schedule"), e.getMessage());
        assertEquals("ddim", RunSamplers.forRun(c, new TrainingSetup(c, Backends.cpu()), "ddim", 10, Map.of("eta", "0.5")).name());
    }
}
