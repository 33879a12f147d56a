package org.diffusion4j.tensor.cpu;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The packed Vector-API kernel reproduces the plain loop to the bit (same fma chain per element), for
 * edge tiles, several k slices, strided operands and accumulation; and both match a double reference.
 */
class CpuGemmTest {

    private static float[] random(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) (2 * r.nextDouble() - 1);
        return f;
    }

    @Test
    void packedKernelEqualsPlainLoopBitwise() {
        int[][] sizes = {{6, 32, 1}, {7, 33, 5}, {13, 17, 300}, {97, 65, 513}, {1, 100, 40}, {100, 1, 40}};
        long seed = 1;
        for (int[] s : sizes) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean transposedA : new boolean[]{false, true}) {
                for (boolean accumulate : new boolean[]{false, true}) {
                    float[] a = random(seed++, m * k + 3), b = random(seed++, k * n + 2), c0 = random(seed++, m * (n + 4) + 1);
                    // A either row-major at offset 3 or column-major; B row-major at offset 2; C with ldc = n + 4 at offset 1
                    var ao = transposedA ? new CpuGemm.Operand(3, 1, m) : new CpuGemm.Operand(3, k, 1);
                    var bo = new CpuGemm.Operand(2, n, 1);
                    float[] plain = c0.clone(), packed = c0.clone();
                    CpuGemm.plain(m, n, k, a, ao, b, bo, plain, 1, n + 4, accumulate);
                    PackedGemmF32.gemm(m, n, k, a, ao, b, bo, packed, 1, n + 4, accumulate);
                    String what = m + "x" + n + "x" + k + " transposedA=" + transposedA + " accumulate=" + accumulate;
                    assertArrayEquals(plain, packed, what);
                    // and against double precision: |error| <= k * eps * sum |a||b| is the classical bound
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++) {
                            double ref = accumulate ? c0[1 + i * (n + 4) + j] : 0, mag = Math.abs(ref);
                            for (int p = 0; p < k; p++) {
                                double prod = (double) a[ao.offset() + i * ao.rowStride() + p * ao.colStride()] * b[2 + p * n + j];
                                ref += prod;
                                mag += Math.abs(prod);
                            }
                            assertEquals(ref, packed[1 + i * (n + 4) + j], (k + 1) * 0x1p-24 * mag + 1e-30, what + " at " + i + "," + j);
                        }
                    // untouched padding of C stays as it was
                    for (int i = 0; i < m; i++) for (int j = n; j < n + 4 && 1 + i * (n + 4) + j < c0.length; j++)
                        assertEquals(c0[1 + i * (n + 4) + j], packed[1 + i * (n + 4) + j], "C padding at " + i + "," + j);
                }
            }
        }
    }

    @Test
    void packedF64KernelEqualsPlainLoopBitwise() {
        int[][] sizes = {{6, 16, 1}, {7, 17, 5}, {13, 40, 300}, {97, 33, 513}};
        long seed = 100;
        for (int[] s : sizes) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean accumulate : new boolean[]{false, true}) {
                SplittableRandom r = new SplittableRandom(seed++);
                double[] a = r.doubles(m * k, -1, 1).toArray(), b = r.doubles(k * n + 1, -1, 1).toArray(), c0 = r.doubles(m * n, -1, 1).toArray();
                var ao = new CpuGemm.Operand(0, 1, m);              // A column-major
                var bo = new CpuGemm.Operand(1, n, 1);
                double[] plain = c0.clone(), packed = c0.clone();
                CpuGemm.plain(m, n, k, a, ao, b, bo, plain, 0, n, accumulate);
                PackedGemmF64.gemm(m, n, k, a, ao, b, bo, packed, 0, n, accumulate);
                assertArrayEquals(plain, packed, m + "x" + n + "x" + k + " accumulate=" + accumulate);
                double ref = accumulate ? c0[n + 1] : 0;
                for (int p = 0; p < k; p++) ref += a[1 + p * m] * b[1 + p * n + 1];
                assertEquals(ref, packed[n + 1], 1e-13 * k, "element (1, 1) against a double sum");
            }
        }
    }
}
