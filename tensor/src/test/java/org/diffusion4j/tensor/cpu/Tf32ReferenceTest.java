package org.diffusion4j.tensor.cpu;

import org.diffusion4j.tensor.ConvSpec;
import org.diffusion4j.tensor.Precision;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** TF32 rounding against an independent formulation (nearest of the two TF32 neighbours) and hand-made ties. */
class Tf32ReferenceTest {

    /** The two TF32 values around x (truncated magnitude and one TF32 ulp above), the nearer one, ties away from zero. */
    private static float nearestByNeighbours(float x) {
        double ax = Math.abs((double) x);
        int e = Math.getExponent(x);
        if (e < Float.MIN_EXPONENT) e = Float.MIN_EXPONENT; // subnormals share the smallest normal exponent's spacing
        double ulp = Math.scalb(1.0, e - 10);
        double down = Math.floor(ax / ulp) * ulp, up = down + ulp;
        double pick = (ax - down < up - ax) ? down : up; // a tie (equal distances) goes up, away from zero
        float r = pick > Float.MAX_VALUE ? Float.POSITIVE_INFINITY : (float) pick;
        return x < 0 || (x == 0 && 1 / x < 0) ? -r : r;
    }

    @Test void tiesGoAwayFromZero() {
        float tie = 1f + 0x1p-11f;                      // halfway between 1 and 1 + 2^-10
        assertEquals(1f + 0x1p-10f, Tf32Reference.round(tie));
        assertEquals(-(1f + 0x1p-10f), Tf32Reference.round(-tie));
        assertEquals(1f, Tf32Reference.round(tie - 0x1p-23f));
        assertEquals(1f + 0x1p-10f, Tf32Reference.round(tie + 0x1p-23f));
        float oddTie = 1f + 0x1p-10f + 0x1p-11f;        // ties away, not to even: 1 + 2^-9
        assertEquals(1f + 0x1p-9f, Tf32Reference.round(oddTie));
    }

    @Test void specialValues() {
        assertEquals(Float.POSITIVE_INFINITY, Tf32Reference.round(Float.MAX_VALUE));
        assertEquals(Float.NEGATIVE_INFINITY, Tf32Reference.round(-Float.MAX_VALUE));
        assertTrue(Float.isNaN(Tf32Reference.round(Float.NaN)));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(Tf32Reference.round(-0f)));
        float largestTf32 = Float.intBitsToFloat(0x7F7F_E000);
        assertEquals(largestTf32, Tf32Reference.round(largestTf32));
        assertEquals(0x1p-126f, Tf32Reference.round(0x1p-126f - 0x1p-149f)); // a subnormal rounds up into the normals
    }

    @Test void randomValuesMatchTheNeighbourFormulation() {
        SplittableRandom rng = new SplittableRandom(13);
        for (int i = 0; i < 200_000; i++) {
            float x = Float.intBitsToFloat(rng.nextInt());
            if (Float.isNaN(x) || Float.isInfinite(x)) continue;
            float r = Tf32Reference.round(x);
            assertEquals(nearestByNeighbours(x), r, () -> "x = " + x + " (" + Integer.toHexString(Float.floatToRawIntBits(x)) + ")");
            if (!Float.isInfinite(r)) assertEquals(0, Float.floatToRawIntBits(r) & 0x1FFF, "low 13 bits of tf32(" + x + ")");
        }
    }

    @Test void threeTf32SplitRecoversFloatAccuracy() {
        SplittableRandom rng = new SplittableRandom(5);
        double worst3x = 0, worst1x = 0;
        for (int i = 0; i < 100_000; i++) {
            float a = (float) (rng.nextDouble(-1, 1)), b = (float) (rng.nextDouble(-1, 1));
            double exact = (double) a * b;
            worst3x = Math.max(worst3x, Math.abs(Tf32Reference.product(Precision.TF32X3, a, b) - exact) / Math.abs(exact));
            worst1x = Math.max(worst1x, Math.abs(Tf32Reference.product(Precision.TF32, a, b) - exact) / Math.abs(exact));
        }
        // hi and lo together keep 22 of the 24 bits and the dropped lo*lo term is below 2^-22 relative: the
        // split's error is a few 2^-22 at most; one TF32 rounding of each input costs up to 2 * 2^-11.
        assertTrue(worst3x < 4 * 0x1p-22, "3xtf32 worst relative error " + worst3x);
        assertTrue(worst1x <= 2 * 0x1p-11 + 0x1p-22 && worst1x > 0x1p-12, "tf32 worst relative error " + worst1x);
    }

    @Test void matmulAndConvolutionAgreeWithEachOther() {
        // A 1x1 convolution is a matmul per image: the two reference loops must give the same sums.
        SplittableRandom rng = new SplittableRandom(3);
        int c = 5, o = 4, hw = 6;
        float[] x = new float[c * hw], w = new float[o * c];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble(-1, 1);
        for (int i = 0; i < w.length; i++) w[i] = (float) rng.nextDouble(-1, 1);
        for (Precision p : Precision.values()) {
            double[] viaMatmul = Tf32Reference.matmul(p, w, x, o, c, hw);
            double[] viaConv = Tf32Reference.conv2d(p, x, new int[]{1, c, 2, 3}, w, new int[]{o, c, 1, 1}, null, ConvSpec.of(1, 0));
            assertArrayEquals(viaMatmul, viaConv, 1e-15, p.label());
        }
    }

    @Test void inputGradientIsTheAdjointOfTheForward() {
        // <conv(x), gy> = <x, conv_backward_input(gy)> in exact arithmetic: checks the index algebra of the loop.
        SplittableRandom rng = new SplittableRandom(4);
        int[] xs = {2, 4, 7, 5}, ws = {6, 2, 3, 3};
        ConvSpec s = ConvSpec.of(2, 1, 1, 2);
        int oh = s.outH(7, 3), ow = s.outW(5, 3);
        float[] x = rand(rng, 2 * 4 * 7 * 5), w = rand(rng, 6 * 2 * 9), gy = rand(rng, 2 * 6 * oh * ow);
        double[] y = Tf32Reference.conv2d(Precision.STRICT, x, xs, w, ws, null, s);
        double[] gx = Tf32Reference.conv2dBackwardInput(Precision.STRICT, gy, xs, w, ws, s);
        double lhs = 0, rhs = 0;
        for (int i = 0; i < y.length; i++) lhs += y[i] * gy[i];
        for (int i = 0; i < gx.length; i++) rhs += gx[i] * x[i];
        assertEquals(lhs, rhs, 1e-12 * (1 + Math.abs(lhs)));
    }

    private static float[] rand(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextDouble(-1, 1);
        return a;
    }
}
