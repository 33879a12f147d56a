package org.diffusion4j.benchmarks.sidebyside;

import org.diffusion4j.diffusion.net.UNet;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.Tensor;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One UNet-S forward (no tape, dropout off) on the inputs of {@link UNetSWorkload}, then a wait for the device: the
 * "forward" rows of the side-by-side table. Each invocation's intermediates are freed by its own tensor scope.
 * {@code -p device=opencl} (or opencl:N, cpu); {@code -p batch=1,128} (the CPU table uses 1,16).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UNetSForwardBenchmark {
    @Param({"cpu"}) public String device;
    /** Precision policy of matmul and the convolutions: strict, tf32 or 3xtf32 (tensor cores, NVIDIA only). */
    @Param({"strict"}) public String precision;
    @Param({"1", "128"}) public int batch;

    private Backend backend;
    private UNet net;
    private Tensor x, t;

    @Setup(Level.Trial)
    public void setUp() {
        backend = Backends.select(device);
        backend.setPrecision(org.diffusion4j.tensor.Precision.parse(precision));
        System.out.println("UNetSForwardBenchmark on " + backend.description() + ", precision " + backend.precision());
        net = UNetSWorkload.build("unet-s", backend, UNetSWorkload.WEIGHT_SEED);
        x = org.diffusion4j.tensor.Scope.persist(UNetSWorkload.images(backend, 7, batch));
        t = org.diffusion4j.tensor.Scope.persist(Tensor.of(backend, UNetSWorkload.timesteps(batch), batch));
    }

    @Benchmark
    public void forward() {
        try (org.diffusion4j.tensor.Scope s = org.diffusion4j.tensor.Scope.open()) {
            UNetSWorkload.forward(net, x, t);
            backend.synchronize();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        x.storage().close();
        t.storage().close();
    }
}
