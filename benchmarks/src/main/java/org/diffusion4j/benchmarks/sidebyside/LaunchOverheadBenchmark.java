package org.diffusion4j.benchmarks.sidebyside;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.BinaryOp;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.diffusion4j.tensor.View;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The cost of one kernel launch: {@value #LAUNCHES} tiny elementwise additions (16 floats) enqueued back to back
 * through the Backend SPI, then one wait, divided by {@value #LAUNCHES}. On a GPU the device finishes such a kernel
 * faster than the host enqueues the next, so this is the host's time per launch (argument setting and
 * clEnqueueNDRangeKernel) plus 1/{@value #LAUNCHES} of a wait. Compare with PyTorch's eager per-op overhead.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LaunchOverheadBenchmark {
    static final int LAUNCHES = 1000;

    @Param({"cpu"}) public String device;

    private Backend backend;
    private Tensor x, out;
    private View xv, outv;

    @Setup(Level.Trial)
    public void setUp() {
        backend = Backends.select(device);
        System.out.println("LaunchOverheadBenchmark on " + backend.description());
        x = org.diffusion4j.tensor.Scope.persist(Tensor.randn(backend, DType.F32, 1, 0, 16));
        out = org.diffusion4j.tensor.Scope.persist(Tensor.empty(backend, DType.F32, 16));
        xv = x.view();
        outv = out.view();
    }

    @Benchmark
    @OperationsPerInvocation(LAUNCHES)
    public void tinyAdd() {
        for (int i = 0; i < LAUNCHES; i++) backend.binary(BinaryOp.ADD, xv, xv, outv);
        backend.synchronize();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        x.storage().close();
        out.storage().close();
    }
}
