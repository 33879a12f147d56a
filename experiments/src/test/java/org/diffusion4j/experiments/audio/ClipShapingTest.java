package org.diffusion4j.experiments.audio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ClipShapingTest {
    /** A burst at samples [1000, 2000) of a 3000-sample recording lands on [3500, 4500) of an 8000-sample clip, peak 1. */
    @Test void centresTheSpokenPartAndScalesThePeakToOne() {
        double[] x = new double[3000];
        for (int i = 1000; i < 2000; i++) x[i] = 0.3 * Math.sin(0.21 * i);
        x[1500] = -0.4;
        var s = ClipShaping.centreAndNormalise(x, 8000, 8000);
        double[] y = s.samples();
        assertEquals(8000, y.length);
        int first = -1, last = -1;
        double peak = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] != 0) { if (first < 0) first = i; last = i; }
            peak = Math.max(peak, Math.abs(y[i]));
        }
        assertEquals(1.0, peak, 0.0);
        assertEquals(-1.0, y[1500 - 1500 + 4000], 0.0);     // sample 1500 sits at the middle
        assertTrue(Math.abs(first - 3500) <= 2 && Math.abs(last - 4499) <= 2, first + ".." + last);
        assertTrue(Math.abs(s.spokenSamples() - 1000) <= 170, "spoken " + s.spokenSamples());
    }

    @Test void keepsTheMiddleOfAWordLongerThanTheClip() {
        double[] x = new double[12000];
        for (int i = 0; i < x.length; i++) x[i] = Math.sin(0.05 * i) * (1 + i % 7);
        double[] y = ClipShaping.centreAndNormalise(x, 8000, 8000).samples();
        double peak = 0;                                     // the spoken part is all 12000 samples: the clip is x[2000, 10000)
        for (int i = 2000; i < 10000; i++) peak = Math.max(peak, Math.abs(x[i]));
        for (int i = 0; i < 8000; i++) assertEquals(x[i + 2000] / peak, y[i], 1e-15, "sample " + i);
    }

    @Test void silenceIsAnError() {
        var e = assertThrows(IllegalArgumentException.class, () -> ClipShaping.centreAndNormalise(new double[500], 8000, 8000));
        assertTrue(e.getMessage().contains("silent"));
    }
}
