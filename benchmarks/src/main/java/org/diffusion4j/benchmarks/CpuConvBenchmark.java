package org.diffusion4j.benchmarks;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.ConvSpec;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The CPU backend's 3x3 convolution at the UNet-S's first level: x [32, 64, 28, 28], weight [64, 64, 3, 3],
 * stride 1, padding 1, F32; the forward pass and the two backward primitives (gradient of the input and of
 * the weight).
 *
 * <p>Each of the three costs 2 N C_out H W C_in k^2 = 2 * 32 * 64 * 784 * 64 * 9 = 1.85e9 flops, so
 * GFLOP/s = 1849.7 / (time per op in ms).
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1) // the forked JVMs inherit the options of ./scripts/bench's JVM, --add-modules included
@SuppressWarnings("try") // a Scope is opened only to free each result; its variable goes unused
public class CpuConvBenchmark {

    static final int N = 32, C_IN = 64, C_OUT = 64, H = 28, W = 28, K = 3;
    static final ConvSpec SPEC = ConvSpec.of(1, 1);

    // Package-private: the tests check that the benchmarks compute what they claim.
    Backend cpu;
    Tensor x;
    Tensor weight;
    Tensor bias;
    Tensor gradOut;

    @Setup
    public void setUp() {
        cpu = Backends.cpu();
        x = Tensor.of(cpu, BenchmarkData.uniform(1, N * C_IN * H * W), N, C_IN, H, W);
        weight = Tensor.of(cpu, BenchmarkData.uniform(2, C_OUT * C_IN * K * K), C_OUT, C_IN, K, K);
        bias = Tensor.of(cpu, BenchmarkData.uniform(3, C_OUT), C_OUT);
        gradOut = Tensor.of(cpu, BenchmarkData.uniform(4, N * C_OUT * H * W), N, C_OUT, H, W);
    }

    @Benchmark
    public void forward() {
        try (Scope s = Scope.open()) {
            Tensor.conv2d(x, weight, bias, SPEC);
            cpu.synchronize();
        }
    }

    @Benchmark
    public void backwardInput() {
        try (Scope s = Scope.open()) {
            Tensor.conv2dBackwardInput(gradOut, weight, x.shape(), SPEC);
            cpu.synchronize();
        }
    }

    @Benchmark
    public void backwardWeight() {
        try (Scope s = Scope.open()) {
            Tensor.conv2dBackwardWeight(x, gradOut, weight.shape(), SPEC);
            cpu.synchronize();
        }
    }
}
