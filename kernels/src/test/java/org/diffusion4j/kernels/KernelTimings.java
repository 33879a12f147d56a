package org.diffusion4j.kernels;

import org.diffusion4j.kernels.runtime.ClPlatforms;
import org.diffusion4j.tensor.ConvSpec;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.diffusion4j.tensor.UnaryOp;
import org.diffusion4j.tensor.View;

import java.util.Arrays;

/**
 * A quick timing tool for kernel development (not a unit test; JMH's OpenClKernelBenchmarks is the
 * measurement of record): median wall time of each shape after warm-up, each run ending in synchronize.
 * Usage: java ... org.diffusion4j.kernels.KernelTimings [deviceIndex, -1 for the default GPU] [repetitions]
 */
public final class KernelTimings {
    private KernelTimings() { }

    private static double medianMs(OpenClBackend b, Runnable r, int reps) {
        for (int i = 0; i < 3; i++) r.run();
        b.synchronize();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            r.run();
            b.synchronize();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    private static void report(String name, double ms, double flops) {
        System.out.printf("%-26s %9.3f ms %9.1f GFLOP/s%n", name, ms, flops / ms / 1e6);
    }

    public static void main(String[] args) {
        var devices = ClPlatforms.enumerate().devices();
        int index = args.length > 0 && Integer.parseInt(args[0]) >= 0 ? Integer.parseInt(args[0]) : new OpenClProvider().defaultDevice();
        OpenClBackend b = new OpenClBackend(devices.get(index));
        System.out.println("device: " + b.description());
        DType t = DType.F32;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 10;

        // Java-side cost of one launch: enqueue many tiny kernels, wait once.
        Tensor one = Tensor.zeros(b, t, 1), dst = Tensor.zeros(b, t, 1);
        for (int i = 0; i < 2000; i++) b.unary(UnaryOp.NEG, one.view(), dst.view(), 0, 0);
        b.synchronize();
        long s0 = System.nanoTime();
        int launches = 20000;
        for (int i = 0; i < launches; i++) b.unary(UnaryOp.NEG, one.view(), dst.view(), 0, 0);
        long s1 = System.nanoTime();
        b.synchronize();
        System.out.printf("launch: %.2f us per enqueue on the Java side (%d launches)%n", (s1 - s0) / 1e3 / launches, launches);
        if (args.length > 2 && args[2].equals("launch-only")) return;

        for (int n : new int[]{1024, 4096}) {
            Tensor a = Tensor.randn(b, t, 1, 0, 1, n, n), bb = Tensor.randn(b, t, 2, 0, 1, n, n), c = Tensor.empty(b, t, 1, n, n);
            report("gemm_" + n, medianMs(b, () -> b.matmul(a.view(), bb.view(), c.view()), reps), 2.0 * n * n * n);
            View aT = a.transpose(1, 2).view();
            report("gemm_" + n + "_At", medianMs(b, () -> b.matmul(aT, bb.view(), c.view()), reps), 2.0 * n * n * n);
        }
        int n = 128, ch = 128, h = 28;
        Tensor x = Tensor.randn(b, t, 5, 0, n, ch, h, h), w = Tensor.randn(b, t, 6, 0, ch, ch, 3, 3);
        Tensor y = Tensor.empty(b, t, n, ch, h, h), gy = Tensor.randn(b, t, 7, 0, n, ch, h, h);
        Tensor gx = Tensor.empty(b, t, n, ch, h, h), gw = Tensor.empty(b, t, ch, ch, 3, 3);
        ConvSpec sp = ConvSpec.of(1, 1);
        double cf = 2.0 * n * ch * ch * 9 * h * h;
        report("conv3x3_forward", medianMs(b, () -> b.conv2d(x.view(), w.view(), null, y.view(), sp), reps), cf);
        report("conv3x3_backward_input", medianMs(b, () -> b.conv2dBackwardInput(gy.view(), w.view(), gx.view(), sp), reps), cf);
        report("conv3x3_backward_weight", medianMs(b, () -> b.conv2dBackwardWeight(x.view(), gy.view(), gw.view(), sp), reps), cf);
        int bt = 128, l = 196, d = 128;
        Tensor q = Tensor.randn(b, t, 8, 0, bt, l, d), k = Tensor.randn(b, t, 9, 0, bt, l, d), v = Tensor.randn(b, t, 10, 0, bt, l, d);
        Tensor o = Tensor.empty(b, t, bt, l, d), lse = Tensor.empty(b, t, bt, l), go = Tensor.randn(b, t, 11, 0, bt, l, d);
        Tensor gq = Tensor.empty(b, t, bt, l, d), gk = Tensor.empty(b, t, bt, l, d), gv = Tensor.empty(b, t, bt, l, d);
        double af = 4.0 * bt * l * l * d;
        report("attention_forward", medianMs(b, () -> b.attention(q.view(), k.view(), v.view(), null, 0.088, o.view(), lse.view()), reps), af);
        report("attention_backward", medianMs(b, () -> b.attentionBackward(q.view(), k.view(), v.view(), null, 0.088, o.view(), lse.view(),
                go.view(), gq.view(), gk.view(), gv.view()), reps), 2.5 * af);
        Tensor gnx = Tensor.randn(b, t, 12, 0, 128, 128, 28, 28), gno = Tensor.empty(b, t, 128, 128, 28, 28);
        report("groupnorm_silu (GB/s)", medianMs(b, () -> b.groupNorm(gnx.view(), null, null, 32, 1e-5, true, gno.view(), null, null), reps),
                2.0 * gnx.numel() * 4 * 1.0);
        Tensor big = Tensor.randn(b, t, 13, 0, 1 << 24), bo = Tensor.empty(b, t, 1 << 24);
        report("lincomb 16M (GB/s)", medianMs(b, () -> b.linearCombination(0.5, big.view(), 0.25, big.view(), 0, null, bo.view()), reps),
                3.0 * (1 << 24) * 4);
    }
}
