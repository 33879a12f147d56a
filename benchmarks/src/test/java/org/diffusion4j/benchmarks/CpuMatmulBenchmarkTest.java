package org.diffusion4j.benchmarks;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

/** The matmul benchmark's contenders compute the same product of the same inputs (small sizes only). */
class CpuMatmulBenchmarkTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 17, 33})
    void oursAndEjmlAgreeWithAFloat64Loop(int n) {
        CpuMatmulBenchmark bench = new CpuMatmulBenchmark();
        bench.n = n;
        bench.setUp();
        float[] a = bench.a.toFloatArray();
        float[] b = bench.b.toFloatArray();
        assertArrayEquals(a, bench.ejmlA.data, "both contenders must read the same A");
        assertArrayEquals(b, bench.ejmlB.data, "both contenders must read the same B");

        float[] ours = bench.a.matmul(bench.b).toFloatArray();
        bench.ejml();
        float[] ejml = bench.ejmlC.data.clone();
        bench.ejmlConcurrent();
        float[] ejmlConcurrent = bench.ejmlC.data;

        // Inputs lie in [-1, 1), so |C_ij| <= n and an F32 sum of n products errs by well under n * 2^-20.
        double tolerance = n * 0x1p-20;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double expected = 0;
                for (int k = 0; k < n; k++) expected += (double) a[i * n + k] * b[k * n + j];
                int at = i * n + j;
                assertEquals(expected, ours[at], tolerance, "d4j C[" + i + "," + j + "], n=" + n);
                assertEquals(expected, ejml[at], tolerance, "EJML C[" + i + "," + j + "], n=" + n);
                assertEquals(expected, ejmlConcurrent[at], tolerance, "EJML MT C[" + i + "," + j + "], n=" + n);
            }
        }
    }
}
