package org.diffusion4j.experiments.metrics;

import org.diffusion4j.experiments.data.ToyDatasets;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModeCoverageTest {
    private static final ModeCoverage GRID = ModeCoverage.grid25();

    @Test
    void constructedGridSampleGivesTheCountsCoverageQualityAndKlWorkedOutByHand() {
        List<double[]> s = new ArrayList<>();
        // 10 samples 2 std (0.1) from each of the first 20 centres, in four directions: high quality, covered.
        for (int k = 0; k < 20; k++) for (int j = 0; j < 10; j++) {
            double a = j * Math.PI / 2;
            s.add(new double[]{k % 5 - 2 + 0.1 * Math.cos(a), k / 5 - 2 + 0.1 * Math.sin(a)});
        }
        // 4 samples at centre 20 (-2, 2): high quality but fewer than minCount 5.
        for (int j = 0; j < 4; j++) s.add(new double[]{-2, 2});
        // 30 between modes: 0.707 from the nearest centre, far beyond 3 std = 0.15.
        for (int j = 0; j < 30; j++) s.add(new double[]{0.5, 0.5});
        ModeCoverage.Result r = GRID.score(s.toArray(double[][]::new), 5);

        int[] expected = new int[25];
        for (int k = 0; k < 20; k++) expected[k] = 10;
        expected[20] = 4;
        assertArrayEquals(expected, r.counts());
        assertEquals(20, r.modesCovered());
        assertEquals(204.0 / 234, r.highQuality(), 1e-15);
        double kl = 20 * (10 / 204.0) * Math.log(25 * 10 / 204.0) + (4 / 204.0) * Math.log(25 * 4 / 204.0);
        assertEquals(kl, r.klToUniform(), 1e-12);
        assertEquals(21, GRID.score(s.toArray(double[][]::new), 4).modesCovered());
    }

    @Test
    void threeStandardDeviationsIsTheBoundaryOfHighQuality() {
        double[][] inside = {{1 + 0.1499, 0}}, outside = {{1 + 0.1501, 0}}, nan = {{Double.NaN, 0}};
        assertEquals(1.0, GRID.score(inside, 1).highQuality());
        assertEquals(1, GRID.score(inside, 1).modesCovered());
        assertEquals(0.0, GRID.score(outside, 1).highQuality());
        assertTrue(Double.isNaN(GRID.score(outside, 1).klToUniform()), "no high-quality sample: KL undefined");
        assertEquals(0.0, GRID.score(nan, 1).highQuality());
    }

    @Test
    void uniformHistogramHasKlZeroAndACollapsedOneHasLnK() {
        double[][] uniform = ModeCoverage.ring8().centres();
        ModeCoverage.Result u = ModeCoverage.ring8().score(uniform, 1);
        assertEquals(8, u.modesCovered());
        assertEquals(0.0, u.klToUniform(), 1e-15);
        double[][] collapsed = {{2, 0}, {2.05, 0}, {2, 0.05}};
        ModeCoverage.Result c = ModeCoverage.ring8().score(collapsed, 1);
        assertEquals(1, c.modesCovered());
        assertEquals(Math.log(8), c.klToUniform(), 1e-15);
    }

    /**
     * Samples of the data itself: every mode covered, and the high-quality fraction is P(chi^2_2 <= 9) = 1 - e^-4.5
     * (a 2-D isotropic Gaussian within 3 std), within 4 binomial standard errors of n = 8000 draws.
     */
    @Test
    void theToyDataCoversEveryModeWithTheChiSquaredFractionOfHighQualitySamples() {
        int n = 8000;
        double p = 1 - Math.exp(-4.5), tol = 4 * Math.sqrt(p * (1 - p) / n);
        for (ModeCoverage m : List.of(ModeCoverage.ring8(), ModeCoverage.grid25())) {
            ModeCoverage.Result r = m.score(ToyDatasets.sample(m.name(), n, 11), 100);
            assertEquals(m.centres().length, r.modesCovered(), m + ": " + r);
            assertEquals(p, r.highQuality(), tol, m + ": " + r);
            // E[KL] of a multinomial histogram is about (K - 1) / (2 n); 10x that is a generous bound.
            assertTrue(r.klToUniform() < 10 * (m.centres().length - 1) / (2.0 * n), m + ": " + r);
        }
    }

    @Test
    void badInputIsRejectedNamingIt() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GRID.score(new double[][]{{0, 0}}, 0))
                .getMessage().contains("got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModeCoverage.of("swiss-roll"))
                .getMessage().contains("swiss-roll"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GRID.score(new double[][]{{0, 0, 0}}, 1))
                .getMessage().contains("3 coordinates"));
    }
}
