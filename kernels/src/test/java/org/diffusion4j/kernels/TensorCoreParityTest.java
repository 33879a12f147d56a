package org.diffusion4j.kernels;

import org.diffusion4j.tensor.ConvSpec;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Precision;
import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.Tensor;
import org.diffusion4j.tensor.cpu.Tf32Reference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.function.Supplier;

import static org.diffusion4j.kernels.Parity.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The tf32 and 3xtf32 policies (gemm_mma.cl on tensor cores) against {@link Tf32Reference}, the CPU's
 * independent TF32 reference: matmul on odd sizes and non-contiguous operands, split K, the implicit-GEMM
 * convolution forward and input gradient, the Winograd path, poisoned outputs, bitwise determinism, and the
 * accuracy against F64 that kernels/README records.
 *
 * <p>Runs on a device with TF32 tensor cores (NVIDIA, compute capability 8.0+); elsewhere (PoCL, other GPUs)
 * every test but {@link #policiesTheDeviceCannotHonourAreRefused} is skipped with the device's reason, because
 * the kernel is inline PTX that only NVIDIA's compiler builds. The strict paths keep their own parity tests.
 *
 * <p>Tolerance: the GPU sums the products the policy forms in F32, the reference in F64; K roundings of a
 * running sum bound the difference by about K * 2^-24 * sum_k |a_k b_k|. We allow (K + 2) * 2^-23 * sum_k
 * |a_k b_k| per element (twice that, for the tensor cores' own accumulation order, plus the final rounding).
 */
class TensorCoreParityTest {

    private static OpenClBackend tensorCoreDevice() {
        OpenClBackend b = cl();
        if (!b.supportedPrecisions().contains(Precision.TF32)) {
            String why = "tensor-core tests skipped: " + b.description() + " supports strict only (tf32 and 3xtf32 need "
                    + "TF32 mma.sync through inline PTX, i.e. an NVIDIA GPU of compute capability 8.0+)";
            System.out.println(why);
            Assumptions.abort(why);
        }
        return b;
    }

    /** Runs work under a policy and restores strict (the backend is shared by every test class). */
    private static <T> T under(Precision p, Supplier<T> work) {
        OpenClBackend b = cl();
        b.setPrecision(p);
        try {
            return work.get();
        } finally {
            b.setPrecision(Precision.STRICT);
        }
    }

    @Test void policiesTheDeviceCannotHonourAreRefused() {
        OpenClBackend b = cl();
        if (b.supportedPrecisions().contains(Precision.TF32)) {
            b.setPrecision(Precision.TF32X3);
            assertEquals(Precision.TF32X3, b.precision());
            b.setPrecision(Precision.STRICT);
            return;
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.setPrecision(Precision.TF32));
        assertTrue(e.getMessage().startsWith("precision tf32 is not available on " + b.description() + ": it supports strict ("),
                e.getMessage());
        assertEquals(Precision.STRICT, b.precision());
        // the strict kernels still run
        Pair a = random(DType.F32, 1, 1, 4, 3), c = random(DType.F32, 2, 1, 3, 5), out = poisoned(DType.F32, 1, 4, 5);
        CPU.matmul(a.cpu().view(), c.cpu().view(), out.cpu().view());
        b.matmul(a.cl().view(), c.cl().view(), out.cl().view());
        assertClose("strict matmul after a refused policy", out, accTol(DType.F32));
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private static float[] floats(Tensor t) {
        double[] d = t.toDoubleArray();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    private static float[] abs(float[] a) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) r[i] = Math.abs(a[i]);
        return r;
    }

    /** |got - ref| <= (k + 2) * 2^-23 * magnitude, element by element; returns the largest |got - ref| / magnitude. */
    private static double assertWithinAccumulation(String what, double[] ref, double[] magnitude, Tensor got, int k) {
        double[] g = got.toDoubleArray();
        assertEquals(ref.length, g.length, what + ": element count");
        double worst = 0;
        for (int i = 0; i < ref.length; i++) {
            double err = Math.abs(g[i] - ref[i]), tol = (k + 2) * 0x1p-23 * magnitude[i];
            if (!(err <= tol)) fail(what + ": element " + i + " of " + Shapes.str(got.shape()) + " is " + g[i] + " on OpenCL, "
                    + ref[i] + " in the reference (|diff| " + err + " > tolerance " + tol + " = (K + 2) 2^-23 sum|ab|, K = " + k + ")");
            if (magnitude[i] > 0) worst = Math.max(worst, err / magnitude[i]);
        }
        return worst;
    }

    private static double maxRelative(double[] ref, double[] magnitude, double[] got) {
        double worst = 0;
        for (int i = 0; i < ref.length; i++) if (magnitude[i] > 0) worst = Math.max(worst, Math.abs(got[i] - ref[i]) / magnitude[i]);
        return worst;
    }

    // ---- matmul -----------------------------------------------------------------------------------------

    private static void checkMatmul(Precision p, Pair a, Pair b, String what) {
        int m = a.cl().shape()[1], k = a.cl().shape()[2], n = b.cl().shape()[2], batches = a.cl().shape()[0];
        Tensor out = Tensor.full(cl(), DType.F32, Double.NaN, batches, m, n);
        under(p, () -> { cl().matmul(a.cl().view(), b.cl().view(), out.view()); return null; });
        float[] af = floats(a.cl()), bf = floats(b.cl());
        double[] ref = new double[batches * m * n], mag = new double[batches * m * n];
        for (int z = 0; z < batches; z++) {
            float[] az = java.util.Arrays.copyOfRange(af, z * m * k, (z + 1) * m * k), bz = java.util.Arrays.copyOfRange(bf, z * k * n, (z + 1) * k * n);
            System.arraycopy(Tf32Reference.matmul(p, az, bz, m, k, n), 0, ref, z * m * n, m * n);
            System.arraycopy(Tf32Reference.matmul(Precision.STRICT, abs(az), abs(bz), m, k, n), 0, mag, z * m * n, m * n);
        }
        assertWithinAccumulation("matmul " + p + " " + what, ref, mag, out, k);
    }

    @Test void matmulOnOddSizesMatchesTheReference() {
        tensorCoreDevice();
        long seed = 300;
        for (Precision p : new Precision[]{Precision.TF32, Precision.TF32X3}) {
            for (int m : new int[]{1, 3, 17, 70, 129}) for (int k : new int[]{1, 9, 33, 200}) for (int n : new int[]{1, 33, 130}) {
                checkMatmul(p, random(DType.F32, seed++, 1, m, k), random(DType.F32, seed++, 1, k, n), m + "x" + k + "x" + n);
            }
        }
    }

    @Test void matmulOnNonContiguousOperandsAndBatches() {
        tensorCoreDevice();
        for (Precision p : new Precision[]{Precision.TF32, Precision.TF32X3}) {
            Pair aT = random(DType.F32, 1, 3, 45, 37).map(v -> v.transpose(1, 2));   // [3, 37, 45], unit row stride
            Pair bT = random(DType.F32, 2, 3, 29, 45).map(v -> v.transpose(1, 2));   // [3, 45, 29]
            checkMatmul(p, aT, bT, "both transposed, 3 batches");
            Pair sliced = random(DType.F32, 6, 40, 50).map(v -> v.slice(0, 1, 40, 2).slice(1, 3, 50, 3).unsqueeze(0)); // [1, 20, 16]
            checkMatmul(p, sliced, random(DType.F32, 7, 1, 16, 11), "sliced with steps");
        }
    }

    /** Also checks that tf32 really rounds: at K = 17 its distance to the unrounded F64 product dwarfs the tolerance. */
    @Test void tf32RoundsItsInputsAnd3xtf32DoesNot() {
        tensorCoreDevice();
        int m = 64, k = 17, n = 64;
        Pair a = random(DType.F32, 11, 1, m, k), b = random(DType.F32, 12, 1, k, n);
        float[] af = floats(a.cl()), bf = floats(b.cl());
        double[] exact = Tf32Reference.matmul(Precision.STRICT, af, bf, m, k, n), mag = Tf32Reference.matmul(Precision.STRICT, abs(af), abs(bf), m, k, n);
        for (Precision p : new Precision[]{Precision.TF32, Precision.TF32X3}) {
            Tensor out = Tensor.full(cl(), DType.F32, Double.NaN, 1, m, n);
            under(p, () -> { cl().matmul(a.cl().view(), b.cl().view(), out.view()); return null; });
            double rel = maxRelative(exact, mag, out.toDoubleArray());
            if (p == Precision.TF32) assertTrue(rel > 50 * (k + 2) * 0x1p-23, "tf32 is as close to the unrounded product as FP32 (" + rel + "): not rounded?");
            else assertTrue(rel <= (k + 2) * 0x1p-23, "3xtf32 max relative error " + rel + " above FP32 accumulation's");
        }
    }

    @Test void longInnerDimensionUsesSplitK() {
        tensorCoreDevice();
        for (Precision p : new Precision[]{Precision.TF32, Precision.TF32X3}) {
            checkMatmul(p, random(DType.F32, 8, 1, 5, 20_000), random(DType.F32, 9, 1, 20_000, 7), "K = 20000");
            checkMatmul(p, random(DType.F32, 10, 1, 130, 3000), random(DType.F32, 11, 1, 3000, 66), "K = 3000");
        }
    }

    // ---- convolutions ---------------------------------------------------------------------------------

    private static void checkConv(Precision p, int[] xs, int[] ws, ConvSpec s, boolean bias, String what) {
        int n = xs[0], o = ws[0], oh = s.outH(xs[2], ws[2]), ow = s.outW(xs[3], ws[3]);
        Pair x = random(DType.F32, 21, n, xs[1], xs[2], xs[3]), w = random(DType.F32, 22, ws), bv = random(DType.F32, 23, o);
        Pair gy = random(DType.F32, 24, n, o, oh, ow);
        Tensor y = Tensor.full(cl(), DType.F32, Double.NaN, n, o, oh, ow), gx = Tensor.full(cl(), DType.F32, Double.NaN, xs);
        under(p, () -> {
            cl().conv2d(x.cl().view(), w.cl().view(), bias ? bv.cl().view() : null, y.view(), s);
            cl().conv2dBackwardInput(gy.cl().view(), w.cl().view(), gx.view(), s);
            return null;
        });
        float[] xf = floats(x.cl()), wf = floats(w.cl()), bf = bias ? floats(bv.cl()) : null, gyf = floats(gy.cl());
        double[] ref = Tf32Reference.conv2d(p, xf, xs, wf, ws, bf, s);
        double[] mag = Tf32Reference.conv2d(Precision.STRICT, abs(xf), xs, abs(wf), ws, bf == null ? null : abs(bf), s);
        assertWithinAccumulation("conv2d " + p + " " + what, ref, mag, y, ws[1] * ws[2] * ws[3] + 1);
        double[] refIn = Tf32Reference.conv2dBackwardInput(p, gyf, xs, wf, ws, s);
        double[] magIn = Tf32Reference.conv2dBackwardInput(Precision.STRICT, abs(gyf), xs, abs(wf), ws, s);
        assertWithinAccumulation("conv2dBackwardInput " + p + " " + what, refIn, magIn, gx, (o / s.groups()) * ws[2] * ws[3]);
    }

    @Test void implicitGemmConvolutionsMatchTheReference() {
        tensorCoreDevice();
        String saved = System.getProperty(GemmOps.WINOGRAD_PROPERTY);
        System.setProperty(GemmOps.WINOGRAD_PROPERTY, "false"); // the implicit-GEMM path for every shape here
        try {
            for (Precision p : new Precision[]{Precision.TF32, Precision.TF32X3}) {
                checkConv(p, new int[]{3, 5, 9, 7}, new int[]{17, 5, 3, 3}, ConvSpec.of(1, 1), true, "3x3 pad 1 odd sizes");
                checkConv(p, new int[]{2, 8, 11, 10}, new int[]{6, 4, 3, 3}, ConvSpec.of(2, 1, 1, 2), false, "stride 2, 2 groups");
                checkConv(p, new int[]{2, 33, 7, 7}, new int[]{20, 33, 1, 1}, ConvSpec.of(1, 0), true, "1x1");
                checkConv(p, new int[]{1, 3, 12, 12}, new int[]{4, 3, 5, 5}, new ConvSpec(1, 2, 2, 1, 2, 1, 1), false, "5x5 dilated");
            }
        } finally {
            if (saved == null) System.clearProperty(GemmOps.WINOGRAD_PROPERTY); else System.setProperty(GemmOps.WINOGRAD_PROPERTY, saved);
        }
    }

    /**
     * The Winograd path multiplies transformed tiles (U = G g G^T, V = B^T d B), so tf32 rounds those and the
     * TF32 reference of the direct formula does not apply. Against F64: 3xtf32 must stay at FP32 accuracy
     * (the strict parity tolerance, 1e-4 (1 + |y|)); tf32 within the first-order bound of rounding U and V:
     * 2 * 2^-11 * 81 * C * max|g| * max|d| (|G|'s rows sum to at most 1.5, |B^T|'s to 2, and an output sums
     * 9 of the 16 products: 1.5^2 * 2^2 * 9 = 81 per channel), plus FP32 accumulation.
     */
    @Test void winogradProductsOnTensorCores() {
        tensorCoreDevice();
        int n = 2, c = 16, o = 24, h = 9, wd = 11;
        ConvSpec s = ConvSpec.of(1, 1);
        assertTrue(GemmOps.useWinograd(new int[]{n, c, h, wd}, new int[]{o, c, 3, 3}, s));
        Pair x = random(DType.F32, 31, n, c, h, wd), w = random(DType.F32, 32, o, c, 3, 3), gy = random(DType.F32, 33, n, o, h, wd);
        double[] ref = Tf32Reference.conv2d(Precision.STRICT, floats(x.cl()), x.cl().shape(), floats(w.cl()), w.cl().shape(), null, s);
        double[] refIn = Tf32Reference.conv2dBackwardInput(Precision.STRICT, floats(gy.cl()), x.cl().shape(), floats(w.cl()), w.cl().shape(), s);
        for (Precision p : new Precision[]{Precision.TF32, Precision.TF32X3}) {
            Tensor y = Tensor.full(cl(), DType.F32, Double.NaN, n, o, h, wd), gx = Tensor.full(cl(), DType.F32, Double.NaN, n, c, h, wd);
            under(p, () -> {
                cl().conv2d(x.cl().view(), w.cl().view(), null, y.view(), s);
                cl().conv2dBackwardInput(gy.cl().view(), w.cl().view(), gx.view(), s);
                return null;
            });
            checkAgainstF64(p, "Winograd conv2d", ref, y.toDoubleArray(), c);
            checkAgainstF64(p, "Winograd conv2dBackwardInput", refIn, gx.toDoubleArray(), o);
        }
    }

    private static void checkAgainstF64(Precision p, String what, double[] ref, double[] got, int channels) {
        double bound = (2 * 0x1p-11 + 16 * channels * 0x1p-23) * 81 * channels; // max|g| and max|d| <= 1 here
        for (int i = 0; i < ref.length; i++) {
            double err = Math.abs(got[i] - ref[i]);
            double tol = p == Precision.TF32X3 ? accTol(DType.F32) * (1 + Math.abs(ref[i])) : bound;
            if (!(err <= tol)) fail(what + " " + p + ": element " + i + " is " + got[i] + ", F64 reference " + ref[i] + " (tolerance " + tol + ")");
        }
    }

    // ---- determinism and accuracy -----------------------------------------------------------------------

    @Test void sameBitsRunToRun() {
        tensorCoreDevice();
        Pair a = random(DType.F32, 41, 1, 257, 129), b = random(DType.F32, 42, 1, 129, 65);
        Pair a2 = random(DType.F32, 43, 1, 9, 5000), b2 = random(DType.F32, 44, 1, 5000, 13); // split K
        Pair x = random(DType.F32, 45, 4, 32, 14, 14), w = random(DType.F32, 46, 32, 32, 3, 3);
        for (Precision p : new Precision[]{Precision.TF32, Precision.TF32X3}) {
            Tensor[] first = null;
            for (int run = 0; run < 3; run++) {
                Tensor c1 = Tensor.full(cl(), DType.F32, Double.NaN, 1, 257, 65), c2 = Tensor.full(cl(), DType.F32, Double.NaN, 1, 9, 13);
                Tensor y = Tensor.full(cl(), DType.F32, Double.NaN, 4, 32, 14, 14);
                under(p, () -> {
                    cl().matmul(a.cl().view(), b.cl().view(), c1.view());
                    cl().matmul(a2.cl().view(), b2.cl().view(), c2.view());
                    cl().conv2d(x.cl().view(), w.cl().view(), null, y.view(), ConvSpec.of(1, 1));
                    return null;
                });
                Tensor[] now = {c1, c2, y};
                if (first == null) first = now;
                else for (int i = 0; i < now.length; i++) assertBitwise(p + " run " + run + " output " + i, first[i], now[i]);
            }
        }
    }

    /**
     * The numbers of kernels/README: the largest |C - C_f64| / sum_k |a_k b_k| over sampled rows of
     * uniform(-1, 1) products at 1024 and 4096, for each policy. Asserted: 3xtf32 within 2x of strict,
     * tf32 within TF32's bound (both inputs rounded: 2 * 2^-11 per product, plus FP32 accumulation).
     */
    @Test void accuracyAgainstF64() {
        tensorCoreDevice();
        StringBuilder failures = new StringBuilder();
        for (int size : new int[]{1024, 4096}) {
            Pair a = random(DType.F32, 51, 1, size, size), b = random(DType.F32, 52, 1, size, size);
            float[] af = floats(a.cl()), bf = floats(b.cl());
            int rows = 24, step = size / rows;
            float[] aRows = new float[rows * size];
            for (int r = 0; r < rows; r++) System.arraycopy(af, r * step * size, aRows, r * size, size);
            double[] ref = Tf32Reference.matmul(Precision.STRICT, aRows, bf, rows, size, size);
            double[] mag = Tf32Reference.matmul(Precision.STRICT, abs(aRows), abs(bf), rows, size, size);
            double[] worst = new double[Precision.values().length];
            for (Precision p : Precision.values()) {
                Tensor out = Tensor.full(cl(), DType.F32, Double.NaN, 1, size, size);
                under(p, () -> { cl().matmul(a.cl().view(), b.cl().view(), out.view()); return null; });
                double[] all = out.toDoubleArray(), got = new double[rows * size];
                for (int r = 0; r < rows; r++) System.arraycopy(all, r * step * size, got, r * size, size);
                worst[p.ordinal()] = maxRelative(ref, mag, got);
            }
            System.out.printf(Locale.ROOT, "accuracy GEMM %d (max |C - C_f64| / sum|ab|, %d rows): strict %.3g, tf32 %.3g, 3xtf32 %.3g%n",
                    size, rows, worst[0], worst[1], worst[2]);
            if (!(worst[2] <= 2 * worst[0])) failures.append("GEMM ").append(size).append(": 3xtf32 ").append(worst[2])
                    .append(" above twice strict's ").append(worst[0]).append("; ");
            if (!(worst[1] <= 2 * 0x1p-11 + (size + 2) * 0x1p-23)) failures.append("GEMM ").append(size).append(": tf32 ")
                    .append(worst[1]).append(" above the TF32 bound; ");
        }
        assertEquals("", failures.toString());
    }
}
