package org.diffusion4j.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.diffusion4j.tensor.Reference.CPU;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Philox4x32-10 against Random123's published known-answer vectors, the backend's fills against
 * {@link Philox#element}, and statistical checks whose tolerances follow from the sample size.
 */
class PhiloxRandomTest {

    /**
     * Random123's kat_vectors, the three "philox4x32 10" lines: counter (4 words), key (2 words), expected
     * output (4 words).
     */
    private static final int[][] KAT = {
            {0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
            {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
            {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
    };

    @Test
    void blockMatchesRandom123KnownAnswers() {
        for (int[] v : KAT) {
            int[] out = Philox.block(v[0], v[1], v[2], v[3], v[4], v[5]);
            assertArrayEquals(Arrays.copyOfRange(v, 6, 10), out, "counter/key " + Arrays.toString(Arrays.copyOf(v, 6)));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyElementFollowsTheDocumentedMapping(DType t) {
        for (RandomKind kind : RandomKind.values()) {
            Tensor x = Tensor.random(CPU, t, kind, 1234567890123L, 5, 3, 2, 7);   // rows of 14, not a multiple of 4
            double[] d = x.toDoubleArray();
            for (int e = 0; e < d.length; e++)
                assertEquals(Philox.element(kind, t, 1234567890123L, 5 + e / 14, e % 14), d[e], kind + " element " + e);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sampleIsTheSameInABatchOfOneAndOfSixtyFour(DType t) {
        Tensor batch = Tensor.randn(CPU, t, 99, 0, 64, 3, 5);
        double[] all = batch.toDoubleArray();
        for (int i : new int[]{0, 1, 17, 63}) {
            double[] single = Tensor.randn(CPU, t, 99, i, 1, 3, 5).toDoubleArray();
            assertArrayEquals(Arrays.copyOfRange(all, i * 15, (i + 1) * 15), single, "sample " + i);
        }
        assertFalse(Arrays.equals(Tensor.randn(CPU, t, 100, 0, 1, 3, 5).toDoubleArray(), Arrays.copyOf(all, 15)), "another seed differs");
    }

    /** Kolmogorov-Smirnov statistic of a sample against a continuous CDF. */
    private static double ksStatistic(double[] sample, java.util.function.DoubleUnaryOperator cdf) {
        double[] s = sample.clone();
        Arrays.sort(s);
        int n = s.length;
        double d = 0;
        for (int i = 0; i < n; i++) {
            double f = cdf.applyAsDouble(s[i]);
            d = Math.max(d, Math.max((i + 1.0) / n - f, f - (double) i / n));
        }
        return d;
    }

    /** The KS critical value at significance 0.001 for large n: 1.95 / sqrt(n). */
    private static double ksCritical(int n) { return 1.95 / Math.sqrt(n); }

    @ParameterizedTest
    @EnumSource(DType.class)
    void uniformDrawsPassMomentAndKolmogorovSmirnovChecks(DType t) {
        int n = 200_000;
        for (long seed : new long[]{1, 42}) {
            double[] u = Tensor.rand(CPU, t, seed, 0, n).toDoubleArray();
            double mean = Arrays.stream(u).average().orElseThrow();
            double var = Arrays.stream(u).map(v -> (v - mean) * (v - mean)).sum() / (n - 1);
            for (double v : u) assertTrue(v > 0 && v < 1, "uniform draw outside (0, 1): " + v);
            // 5 standard errors: sd of the mean is sqrt(1/12 / n); of the variance sqrt((1/80 - 1/144) / n)
            assertEquals(0.5, mean, 5 * Math.sqrt(1.0 / 12 / n));
            assertEquals(1.0 / 12, var, 5 * Math.sqrt((1.0 / 80 - 1.0 / 144) / n));
            assertTrue(ksStatistic(u, v -> v) < ksCritical(n), "KS uniform seed " + seed);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void normalDrawsPassMomentAndKolmogorovSmirnovChecks(DType t) {
        int n = 200_000;
        for (long seed : new long[]{3, 77}) {
            double[] z = Tensor.randn(CPU, t, seed, 0, 40, n / 40).toDoubleArray();
            double mean = Arrays.stream(z).average().orElseThrow();
            double var = Arrays.stream(z).map(v -> (v - mean) * (v - mean)).sum() / (n - 1);
            // sd of the mean 1/sqrt(n); of the sample variance sqrt(2/n)
            assertEquals(0.0, mean, 5 / Math.sqrt(n));
            assertEquals(1.0, var, 5 * Math.sqrt(2.0 / n));
            assertTrue(ksStatistic(z, v -> org.diffusion4j.tensor.cpu.SpecialFunctions.normalCdf(v)) < ksCritical(n), "KS normal seed " + seed);
        }
    }

    @Test
    void rademacherIsBalanced() {
        int n = 100_000;
        double[] r = Tensor.random(CPU, DType.F64, RandomKind.RADEMACHER, 5, 0, n).toDoubleArray();
        long plus = Arrays.stream(r).filter(v -> v == 1.0).count(), minus = Arrays.stream(r).filter(v -> v == -1.0).count();
        assertEquals(n, plus + minus, "only +1 and -1");
        assertEquals(n / 2.0, plus, 5 * Math.sqrt(n) / 2, "count of +1 within 5 standard deviations");
    }
}
