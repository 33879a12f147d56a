package org.diffusion4j.benchmarks.sidebyside;

import org.diffusion4j.benchmarks.sidebyside.GuardComparison.Measurement;
import org.diffusion4j.benchmarks.sidebyside.GuardComparison.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class GuardComparisonTest {
    @Test
    void measurementIsMeanAndSampleRelativeStd() {
        Measurement m = Measurement.of(new double[]{90, 100, 110});
        assertEquals(100, m.meanMs(), 1e-12);
        assertEquals(10.0 / 100, m.relativeStd(), 1e-12);   // sample std of {90, 100, 110} is 10
    }

    @Test
    void quietRunsUseTheTenPercentFloor() {
        Measurement base = Measurement.of(new double[]{100, 100.5, 99.5});
        assertFalse(GuardComparison.judge("ddim", base, Measurement.of(new double[]{109, 109.5, 108.5})).regression());
        Verdict slow = GuardComparison.judge("ddim", base, Measurement.of(new double[]{112, 112.5, 111.5}));
        assertTrue(slow.regression(), slow.line());
        assertEquals(0.10, slow.threshold(), 1e-12);
        assertEquals(0.12, slow.change(), 1e-12);
    }

    @Test
    void noisyRunsNeedThreeSpreads() {
        // baseline spread 10%: threshold 30%, so 25% slower passes and 35% slower fails
        Measurement base = Measurement.of(new double[]{90, 100, 110});
        assertEquals(0.30, GuardComparison.threshold(0.10, 0.02), 1e-12);
        assertFalse(GuardComparison.judge("x", base, Measurement.of(new double[]{125, 125, 125})).regression());
        assertTrue(GuardComparison.judge("x", base, Measurement.of(new double[]{135, 135, 135})).regression());
        // the current run's spread counts too
        assertEquals(0.45, GuardComparison.threshold(0.01, 0.15), 1e-12);
    }

    @Test
    void fasterIsNeverARegression() {
        Measurement base = Measurement.of(new double[]{100, 101, 99});
        Verdict v = GuardComparison.judge("x", base, Measurement.of(new double[]{50, 51, 49}));
        assertFalse(v.regression());
        assertEquals(-0.5, v.change(), 1e-12);
    }

    @Test
    void compareJudgesEveryBaselineBenchmarkAndNeedsThemAll() {
        Map<String, Measurement> base = Map.of("a", Measurement.of(new double[]{10, 10.1}), "b", Measurement.of(new double[]{20, 20.2}));
        List<Verdict> v = GuardComparison.compare(base, Map.of("a", Measurement.of(new double[]{10, 10.1}),
                "b", Measurement.of(new double[]{30, 30.3}), "extra", Measurement.of(new double[]{1, 2})));
        assertEquals(2, v.size());
        assertTrue(GuardComparison.anyRegression(v));
        var e = assertThrows(IllegalArgumentException.class, () -> GuardComparison.compare(base, Map.of("a", Measurement.of(new double[]{10, 10.1}))));
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());
    }

    @Test
    void badSamplesAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Measurement.of(new double[]{5}));
        assertTrue(e.getMessage().contains("2 samples"));
        e = assertThrows(IllegalArgumentException.class, () -> Measurement.of(new double[]{5, -1}));
        assertTrue(e.getMessage().contains("-1"));
    }
}
