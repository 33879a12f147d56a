package org.diffusion4j.kernels;

import org.diffusion4j.tensor.ConvSpec;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.ReduceOp;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static org.diffusion4j.kernels.Parity.*;

/** Running a kernel twice on the same inputs gives bitwise the same output (no atomics, fixed orders). */
class DeterminismTest {

    private static void twice(String what, Supplier<Tensor> run) {
        Tensor first = run.get(), second = run.get();
        assertBitwise(what + " run twice", first, second);
    }

    @Test void everyFamilyIsBitwiseReproducible() {
        OpenClBackend b = cl();
        for (DType t : dtypes()) {
            Tensor a = random(t, 1, 1, 9, 30_000).cl(), m = random(t, 2, 1, 30_000, 5).cl();
            twice("split-K matmul " + t, () -> a.matmul(m));
            Tensor x = random(t, 3, 200_001).cl();
            twice("two-pass sum " + t, () -> x.sum());
            twice("two-pass max " + t, () -> x.max(false));
            Tensor img = random(t, 4, 48, 4, 10, 10).cl(), w = random(t, 5, 6, 4, 3, 3).cl(), gy = random(t, 6, 48, 6, 10, 10).cl();
            ConvSpec s = ConvSpec.of(1, 1);
            twice("conv2d " + t, () -> Tensor.conv2d(img, w, null, s));
            twice("conv2dBackwardInput " + t, () -> Tensor.conv2dBackwardInput(gy, w, img.shape(), s));
            twice("conv2dBackwardWeight " + t, () -> Tensor.conv2dBackwardWeight(img, gy, w.shape(), s));
            Tensor q = random(t, 7, 2, 50, 8).cl(), k = random(t, 8, 2, 40, 8).cl(), v = random(t, 9, 2, 40, 6).cl();
            Tensor.AttentionResult r = Tensor.attention(q, k, v, null, 0.3);
            twice("attention " + t, () -> Tensor.attention(q, k, v, null, 0.3).out());
            Tensor go = random(t, 10, 2, 50, 6).cl();
            twice("attention dk " + t, () -> Tensor.attentionBackward(q, k, v, null, 0.3, r, go).k());
            twice("groupNorm " + t, () -> Tensor.groupNorm(img, null, null, 2, 1e-5, true).out());
            twice("softmax " + t, () -> img.softmax(3));
            twice("random " + t, () -> Tensor.randn(b, t, 5, 0, 3, 333));
            Tensor big = random(t, 11, 7, 3000).cl();
            twice("mean over axis 1 " + t, () -> big.mean(true, 1));
            twice("reduce " + ReduceOp.SUM + " axis 0 " + t, () -> big.sum(true, 0));
        }
    }
}
