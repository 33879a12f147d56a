package org.diffusion4j.benchmarks;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.ConvSpec;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Precision;
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
 * The OpenCL kernels on the shapes that benchmarks/pytorch/kernels.py times in PyTorch (same names):
 * GEMM 1024 and 4096, a 3x3 convolution at N=128, C=128, 28x28 forward and both backwards, the weight
 * gradients of UNet-S's 28x28 level (64 -> 64 channels, and the output convolution 64 -> 1), and
 * attention with batch 128, 196 positions, width 128, forward and backward. F32 throughout.
 *
 * <p>Each invocation enqueues one primitive into preallocated outputs and waits for the queue
 * ({@link Backend#synchronize()}), so the time is the kernel's plus one launch and one wait. The device
 * comes from {@code -p device=opencl:N}; when the parameter is left empty, D4J_DEVICE, then the default
 * GPU. {@code -p precision=strict|tf32|3xtf32} picks the precision policy of matmul and the convolutions
 * (tf32 and 3xtf32 run on tensor cores and need a device that has them; the weight gradient and attention
 * stay strict). Run: {@code java -jar benchmarks.jar OpenClKernelBenchmarks -p device=opencl:1 -p precision=strict,tf32,3xtf32}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OpenClKernelBenchmarks {

    /** Backend spec (opencl, opencl:N); empty means D4J_DEVICE, then the default GPU. */
    @Param({""})
    public String device;

    /** Precision policy (strict, tf32, 3xtf32); a policy the device cannot honour fails the trial. */
    @Param({"strict"})
    public String precision;

    private Backend backend;
    private Tensor a1024, b1024, c1024, a4096, b4096, c4096;
    private Tensor convX, convW, convY, convGy, convGx, convGw;
    private Tensor c64X, c64Gy, c64Gw, out1Gy, out1Gw;
    private Tensor q, k, v, attOut, attLse, attGo, gq, gk, gv;
    private final ConvSpec same3x3 = ConvSpec.of(1, 1);

    @Setup(Level.Trial)
    public void setUp() {
        backend = Backends.select(device.isBlank() ? null : device);
        backend.setPrecision(Precision.parse(precision));
        System.out.println("OpenClKernelBenchmarks on " + backend.description() + ", precision " + backend.precision());
        DType t = DType.F32;
        a1024 = Tensor.randn(backend, t, 1, 0, 1024, 1024);
        b1024 = Tensor.randn(backend, t, 2, 0, 1024, 1024);
        c1024 = Tensor.empty(backend, t, 1024, 1024);
        a4096 = Tensor.randn(backend, t, 3, 0, 4096, 4096);
        b4096 = Tensor.randn(backend, t, 4, 0, 4096, 4096);
        c4096 = Tensor.empty(backend, t, 4096, 4096);
        int n = 128, c = 128, h = 28;
        convX = Tensor.randn(backend, t, 5, 0, n, c, h, h);
        convW = Tensor.randn(backend, t, 6, 0, c, c, 3, 3).mul(1 / Math.sqrt(c * 9.0));
        convY = Tensor.empty(backend, t, n, c, h, h);
        convGy = Tensor.randn(backend, t, 7, 0, n, c, h, h);
        convGx = Tensor.empty(backend, t, n, c, h, h);
        convGw = Tensor.empty(backend, t, c, c, 3, 3);
        // the weight gradients of UNet-S's 28x28 level: 64 -> 64 channels, and the output convolution 64 -> 1
        c64X = Tensor.randn(backend, t, 12, 0, n, 64, h, h);
        c64Gy = Tensor.randn(backend, t, 13, 0, n, 64, h, h);
        c64Gw = Tensor.empty(backend, t, 64, 64, 3, 3);
        out1Gy = Tensor.randn(backend, t, 14, 0, n, 1, h, h);
        out1Gw = Tensor.empty(backend, t, 1, 64, 3, 3);
        int b = 128, l = 196, d = 128;
        q = Tensor.randn(backend, t, 8, 0, b, l, d);
        k = Tensor.randn(backend, t, 9, 0, b, l, d);
        v = Tensor.randn(backend, t, 10, 0, b, l, d);
        attOut = Tensor.empty(backend, t, b, l, d);
        attLse = Tensor.empty(backend, t, b, l);
        attGo = Tensor.randn(backend, t, 11, 0, b, l, d);
        gq = Tensor.empty(backend, t, b, l, d);
        gk = Tensor.empty(backend, t, b, l, d);
        gv = Tensor.empty(backend, t, b, l, d);
        backend.attention(q.view(), k.view(), v.view(), null, 1 / Math.sqrt(d), attOut.view(), attLse.view());
        backend.synchronize();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.setPrecision(Precision.STRICT);
        for (Tensor x : new Tensor[]{a1024, b1024, c1024, a4096, b4096, c4096, convX, convW, convY, convGy, convGx, convGw,
                c64X, c64Gy, c64Gw, out1Gy, out1Gw,
                q, k, v, attOut, attLse, attGo, gq, gk, gv}) {
            x.storage().close();
        }
    }

    private static org.diffusion4j.tensor.View mat(Tensor t) { return t.unsqueeze(0).view(); }

    @Benchmark public void gemm_1024() {
        backend.matmul(mat(a1024), mat(b1024), mat(c1024));
        backend.synchronize();
    }

    @Benchmark public void gemm_4096() {
        backend.matmul(mat(a4096), mat(b4096), mat(c4096));
        backend.synchronize();
    }

    @Benchmark public void conv3x3_forward() {
        backend.conv2d(convX.view(), convW.view(), null, convY.view(), same3x3);
        backend.synchronize();
    }

    @Benchmark public void conv3x3_backward_input() {
        backend.conv2dBackwardInput(convGy.view(), convW.view(), convGx.view(), same3x3);
        backend.synchronize();
    }

    @Benchmark public void conv3x3_backward_weight() {
        backend.conv2dBackwardWeight(convX.view(), convGy.view(), convGw.view(), same3x3);
        backend.synchronize();
    }

    /** UNet-S's 28x28 level: N=128, 64 -> 64 channels (the Winograd weight gradient with 64 x 64 tiles). */
    @Benchmark public void conv3x3_backward_weight_c64() {
        backend.conv2dBackwardWeight(c64X.view(), c64Gy.view(), c64Gw.view(), same3x3);
        backend.synchronize();
    }

    /** UNet-S's output convolution: N=128, 64 -> 1 channel, 28x28 (the few-outputs reduction). */
    @Benchmark public void conv3x3_backward_weight_c64_to1() {
        backend.conv2dBackwardWeight(c64X.view(), out1Gy.view(), out1Gw.view(), same3x3);
        backend.synchronize();
    }

    @Benchmark public void attention_forward() {
        backend.attention(q.view(), k.view(), v.view(), null, 1 / Math.sqrt(128), attOut.view(), attLse.view());
        backend.synchronize();
    }

    @Benchmark public void attention_backward() {
        backend.attentionBackward(q.view(), k.view(), v.view(), null, 1 / Math.sqrt(128), attOut.view(), attLse.view(),
                attGo.view(), gq.view(), gk.view(), gv.view());
        backend.synchronize();
    }
}
