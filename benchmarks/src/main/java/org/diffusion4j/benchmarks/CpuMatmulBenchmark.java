package org.diffusion4j.benchmarks;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * F32 square matrix product C = A B at n = 256, 512, 1024: our CPU backend ({@link Tensor#matmul} on
 * {@link Backends#cpu()}) beside EJML, single-threaded ({@code CommonOps_FDRM.mult}) and multi-threaded
 * ({@code CommonOps_MT_FDRM.mult}), on the same numbers in the same JMH run.
 *
 * <p>One product costs 2 n^3 flops, so GFLOP/s = 2 n^3 / (time per op in ns). Ours allocates its output
 * each time (as NumPy's {@code a @ b} does, see numpy_matmul.py); EJML writes into a preallocated C (its
 * usual idiom).
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1) // the forked JVMs inherit the options of ./scripts/bench's JVM, --add-modules included
@SuppressWarnings("try") // a Scope is opened only to free each result; its variable goes unused
public class CpuMatmulBenchmark {

    @Param({"256", "512", "1024"})
    public int n;

    // Package-private: the tests check that the benchmarks compute what they claim.
    Backend cpu;
    Tensor a;
    Tensor b;
    FMatrixRMaj ejmlA;
    FMatrixRMaj ejmlB;
    FMatrixRMaj ejmlC;

    @Setup
    public void setUp() {
        float[] dataA = BenchmarkData.uniform(1, n * n);
        float[] dataB = BenchmarkData.uniform(2, n * n);
        cpu = Backends.cpu();
        a = Tensor.of(cpu, dataA, n, n);
        b = Tensor.of(cpu, dataB, n, n);
        ejmlA = new FMatrixRMaj(n, n, true, dataA);
        ejmlB = new FMatrixRMaj(n, n, true, dataB);
        ejmlC = new FMatrixRMaj(n, n);
    }

    @Benchmark
    public void d4jCpu() {
        try (Scope s = Scope.open()) {
            a.matmul(b);
            cpu.synchronize();
        }
    }

    @Benchmark
    public FMatrixRMaj ejml() {
        CommonOps_FDRM.mult(ejmlA, ejmlB, ejmlC);
        return ejmlC;
    }

    @Benchmark
    public FMatrixRMaj ejmlConcurrent() {
        CommonOps_MT_FDRM.mult(ejmlA, ejmlB, ejmlC);
        return ejmlC;
    }
}
