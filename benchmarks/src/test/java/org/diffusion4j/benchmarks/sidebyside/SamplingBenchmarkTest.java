package org.diffusion4j.benchmarks.sidebyside;

import org.diffusion4j.diffusion.sampler.DdimSampler;
import org.diffusion4j.diffusion.sampler.DdpmSampler;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The sampling benchmark runs the sampler it names, with one network evaluation per step. */
class SamplingBenchmarkTest {
    @Test
    void samplerNamesParse() {
        assertInstanceOf(DdimSampler.class, SamplingBenchmark.samplerNamed("ddim-50"));
        assertInstanceOf(DdpmSampler.class, SamplingBenchmark.samplerNamed("ddpm-1000"));
        for (String bad : new String[]{"ddim", "ddim-x", "euler-10", "ddpm-0"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> SamplingBenchmark.samplerNamed(bad));
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void oneShotRunsEveryStep() {
        SamplingBenchmark b = new SamplingBenchmark();
        b.device = "cpu";
        b.net = "tiny";
        b.sampler = "ddpm-3";
        b.batch = 1;
        b.setUp();
        assertEquals(3, b.sample());
    }
}
