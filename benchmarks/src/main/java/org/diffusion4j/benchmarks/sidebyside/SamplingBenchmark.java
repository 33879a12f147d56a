package org.diffusion4j.benchmarks.sidebyside;

import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.sampler.SampleRequest;
import org.diffusion4j.diffusion.sampler.SampleResult;
import org.diffusion4j.diffusion.sampler.Sampler;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The sampling loop end to end: DDPM ancestral sampling over all 1,000 steps ({@code ddpm-1000}) or deterministic
 * DDIM over 50 ({@code ddim-50}), from Philox noise to the final sample on the device, waited for once at the end (the
 * loop itself never synchronises). Each run is long, so the mode is single-shot; setup runs two sampler steps at
 * the same batch first, so kernel compilation and the first allocations fall outside the measurement.
 * {@code -p sampler=ddpm-N|ddim-N} takes any step count; {@code -p net=tiny} is the small network of the CPU guard.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class SamplingBenchmark {
    @Param({"cpu"}) public String device;
    @Param({"unet-s"}) public String net;
    @Param({"ddim-50", "ddpm-1000"}) public String sampler;
    @Param({"1", "128"}) public int batch;

    private Backend backend;
    private Denoiser denoiser;
    private Sampler loop;
    private SampleRequest request;

    @Setup(Level.Trial)
    public void setUp() {
        backend = Backends.select(device);
        System.out.println("SamplingBenchmark on " + backend.description());
        denoiser = UNetSWorkload.denoiser(UNetSWorkload.build(net, backend, UNetSWorkload.WEIGHT_SEED));
        loop = samplerNamed(sampler);
        request = SampleRequest.of(backend, DType.F32, 1, batch, 1, UNetSWorkload.IMAGE_SIZE, UNetSWorkload.IMAGE_SIZE);
        try (org.diffusion4j.tensor.Scope s = org.diffusion4j.tensor.Scope.open()) {
            UNetSWorkload.ddim(2).sample(denoiser, request);
            UNetSWorkload.ddpm(2).sample(denoiser, request);
            backend.synchronize();
        }
    }

    /** "ddpm-1000" or "ddim-50" (any step count from 1 to 1000). */
    static Sampler samplerNamed(String name) {
        String[] parts = name.split("-");
        int steps;
        try {
            steps = parts.length == 2 ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
            steps = -1;
        }
        if (steps < 1 || !(parts[0].equals("ddpm") || parts[0].equals("ddim"))) throw new IllegalArgumentException(
                "sampler '" + name + "' is not of the form ddpm-STEPS or ddim-STEPS");
        return parts[0].equals("ddpm") ? UNetSWorkload.ddpm(steps) : UNetSWorkload.ddim(steps);
    }

    @Benchmark
    public long sample() {
        try (org.diffusion4j.tensor.Scope s = org.diffusion4j.tensor.Scope.open()) {
            SampleResult r = loop.sample(denoiser, request);
            backend.synchronize();
            return r.nfe();
        }
    }
}
