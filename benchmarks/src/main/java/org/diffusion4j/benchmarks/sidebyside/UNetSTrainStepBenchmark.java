package org.diffusion4j.benchmarks.sidebyside;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
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

/** One training step of UNet-S at batch 128 ({@link UNetSTrainStep}), against train_step_b128 of sidebyside.py. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UNetSTrainStepBenchmark {
    @Param({"cpu"}) public String device;
    /** Precision policy of matmul and the convolutions: strict, tf32 or 3xtf32 (tensor cores, NVIDIA only). */
    @Param({"strict"}) public String precision;
    @Param({"128"}) public int batch;

    private UNetSTrainStep step;

    @Setup(Level.Trial)
    public void setUp() {
        Backend backend = Backends.select(device);
        backend.setPrecision(org.diffusion4j.tensor.Precision.parse(precision));
        System.out.println("UNetSTrainStepBenchmark on " + backend.description() + ", precision " + backend.precision());
        step = new UNetSTrainStep(backend, batch);
    }

    @Benchmark
    public void step() { step.run(); }
}
