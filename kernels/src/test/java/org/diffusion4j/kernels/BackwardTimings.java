package org.diffusion4j.kernels;

import org.diffusion4j.kernels.runtime.ClPlatforms;
import org.diffusion4j.tensor.ConvSpec;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

import java.util.Arrays;

/**
 * A timing tool for the conv weight gradient and the attention backward (not a unit test; JMH's
 * OpenClKernelBenchmarks is the measurement of record): median wall time after warm-up, each run ending in
 * synchronize, for UNet-S's weight-gradient shapes (each path, and the implicit GEMM for comparison) and the
 * attention backward in every tile size. Usage: java ... org.diffusion4j.kernels.BackwardTimings [deviceIndex|-1] [reps]
 */
public final class BackwardTimings {
    private BackwardTimings() { }

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
        System.out.printf("%-58s %9.3f ms %9.1f GFLOP/s%n", name, ms, flops / ms / 1e6);
    }

    /** Device time per kernel of the benchmark-shaped weight gradient and attention backward (OpenCL profiling events). */
    private static void profile(org.diffusion4j.kernels.runtime.ClDeviceInfo info, int reps) {
        OpenClBackend b = new OpenClBackend(info, true);
        DType t = DType.F32;
        ConvSpec same = ConvSpec.of(1, 1);
        Tensor x = Tensor.randn(b, t, 1, 0, 128, 128, 28, 28), gy = Tensor.randn(b, t, 2, 0, 128, 128, 28, 28), gw = Tensor.empty(b, t, 128, 128, 3, 3);
        Tensor q = Tensor.randn(b, t, 8, 0, 128, 196, 128), k = Tensor.randn(b, t, 9, 0, 128, 196, 128), v = Tensor.randn(b, t, 10, 0, 128, 196, 128);
        Tensor o = Tensor.empty(b, t, 128, 196, 128), lse = Tensor.empty(b, t, 128, 196), go = Tensor.randn(b, t, 11, 0, 128, 196, 128);
        Tensor gq = Tensor.empty(b, t, 128, 196, 128), gk = Tensor.empty(b, t, 128, 196, 128), gv = Tensor.empty(b, t, 128, 196, 128);
        b.attention(q.view(), k.view(), v.view(), null, 0.088, o.view(), lse.view());
        for (int i = 0; i < 3; i++) {
            b.conv2dBackwardWeight(x.view(), gy.view(), gw.view(), same);
            b.attentionBackward(q.view(), k.view(), v.view(), null, 0.088, o.view(), lse.view(), go.view(), gq.view(), gk.view(), gv.view());
        }
        b.synchronize();
        var profile = b.kernelProfile().orElseThrow();
        profile.reset();
        for (int i = 0; i < reps; i++) {
            b.conv2dBackwardWeight(x.view(), gy.view(), gw.view(), same);
            b.attentionBackward(q.view(), k.view(), v.view(), null, 0.088, o.view(), lse.view(), go.view(), gq.view(), gk.view(), gv.view());
        }
        b.synchronize();
        System.out.println("profile: one weight gradient (N=128 C=128 28x28) + one attention backward (B=128 L=196 D=128), default paths");
        System.out.print(org.diffusion4j.kernels.runtime.KernelProfile.table(profile.entries(), 12, reps, "call"));
        b.close();
    }

    public static void main(String[] args) {
        var devices = ClPlatforms.enumerate().devices();
        int index = args.length > 0 && Integer.parseInt(args[0]) >= 0 ? Integer.parseInt(args[0]) : new OpenClProvider().defaultDevice();
        OpenClBackend b = new OpenClBackend(devices.get(index));
        System.out.println("device: " + b.description());
        DType t = DType.F32;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        ConvSpec same = ConvSpec.of(1, 1);
        // N, C, O, H: the benchmark shape, UNet-S's levels (28, 14, 7), its output convolution
        int[][] convs = {{128, 128, 128, 28}, {128, 64, 64, 28}, {128, 64, 128, 28}, {128, 128, 128, 14}, {128, 128, 128, 7}, {128, 64, 1, 28}};
        for (int[] c : convs) {
            int n = c[0], ci = c[1], co = c[2], h = c[3];
            Tensor x = Tensor.randn(b, t, 1, 0, n, ci, h, h), gy = Tensor.randn(b, t, 2, 0, n, co, h, h), gw = Tensor.empty(b, t, co, ci, 3, 3);
            double flops = 2.0 * n * ci * co * 9 * h * h;
            var path = ConvWeightGradientOps.path(x.shape(), gw.shape(), same);
            String name = "wgrad N=" + n + " " + ci + "->" + co + " " + h + "x" + h;
            report(name + " " + path, medianMs(b, () -> b.conv2dBackwardWeight(x.view(), gy.view(), gw.view(), same), reps), flops);
            if (path == ConvWeightGradientOps.Path.WINOGRAD) {
                System.setProperty(GemmOps.WINOGRAD_PROPERTY, "false");
                try {
                    report(name + " IMPLICIT_GEMM (winograd off)", medianMs(b, () -> b.conv2dBackwardWeight(x.view(), gy.view(), gw.view(), same), reps), flops);
                } finally {
                    System.clearProperty(GemmOps.WINOGRAD_PROPERTY);
                }
            }
            for (Tensor z : new Tensor[]{x, gy, gw}) z.storage().close();
        }
        profile(devices.get(index), reps);
        for (int l : new int[]{196, 49}) {
            int bt = 128, d = 128;
            Tensor q = Tensor.randn(b, t, 8, 0, bt, l, d), k = Tensor.randn(b, t, 9, 0, bt, l, d), v = Tensor.randn(b, t, 10, 0, bt, l, d);
            Tensor o = Tensor.empty(b, t, bt, l, d), lse = Tensor.empty(b, t, bt, l), go = Tensor.randn(b, t, 11, 0, bt, l, d);
            Tensor gq = Tensor.empty(b, t, bt, l, d), gk = Tensor.empty(b, t, bt, l, d), gv = Tensor.empty(b, t, bt, l, d);
            double af = 4.0 * bt * l * l * d;
            double scale = 1 / Math.sqrt(d);
            report("attention_forward B=128 L=" + l + " D=128", medianMs(b, () -> b.attention(q.view(), k.view(), v.view(), null, scale, o.view(), lse.view()), reps), af);
            for (String tiles : new String[]{"", "32,16,u", "16,32", "16,32,u", "16,16,v", "16,16,v,u", "8,32,v", "8,32,v,u", "32,32", "plain"}) {
                if (tiles.isEmpty()) System.clearProperty(AttentionOps.BACKWARD_TILES_PROPERTY);
                else System.setProperty(AttentionOps.BACKWARD_TILES_PROPERTY, tiles);
                try {
                    var chosen = new AttentionOps(b).blockedBackwardTiles(t, d, d);
                    String what = chosen == null ? "plain" : chosen.toString();
                    report("attention_backward B=128 L=" + l + " D=128 tiles '" + tiles + "' -> " + what,
                            medianMs(b, () -> b.attentionBackward(q.view(), k.view(), v.view(), null, scale, o.view(), lse.view(),
                                    go.view(), gq.view(), gk.view(), gv.view()), reps), 2.5 * af);
                } catch (RuntimeException e) {
                    System.out.println("attention_backward tiles '" + tiles + "': " + e.getMessage().lines().findFirst().orElse(""));
                } finally {
                    System.clearProperty(AttentionOps.BACKWARD_TILES_PROPERTY);
                }
            }
            for (Tensor z : new Tensor[]{q, k, v, o, lse, go, gq, gk, gv}) z.storage().close();
        }
    }
}
