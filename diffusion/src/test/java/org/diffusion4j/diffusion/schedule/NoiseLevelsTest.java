package org.diffusion4j.diffusion.schedule;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class NoiseLevelsTest {
    @Test
    void geometricHasAConstantRatio() {
        double[] s = NoiseLevels.geometric(1.0, 0.01, 10);   // NCSN's CIFAR-10 setting
        assertEquals(1.0, s[0]);
        assertEquals(0.01, s[9]);
        double ratio = Math.pow(0.01, 1 / 9.0);
        for (int i = 1; i < 10; i++) assertEquals(ratio, s[i] / s[i - 1], 1e-12);
    }

    @Test
    void karrasScheduleMatchesEquation5() {
        int n = 17;
        double[] s = NoiseLevels.karras(n, 0.002, 80, 7);
        assertEquals(n + 1, s.length);
        assertEquals(80, s[0], 1e-12);
        assertEquals(0.002, s[n - 1], 1e-15);
        assertEquals(0.0, s[n]);
        for (int i = 0; i < n; i++) {
            double ref = Math.pow(Math.pow(80, 1 / 7.0) + i / 16.0 * (Math.pow(0.002, 1 / 7.0) - Math.pow(80, 1 / 7.0)), 7);
            assertEquals(ref, s[i], 1e-9 * ref);
        }
    }

    @Test
    void badRangesAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> NoiseLevels.karras(10, 0.5, 0.1, 7));
        assertTrue(e.getMessage().contains("0.1"));
        assertThrows(IllegalArgumentException.class, () -> NoiseLevels.geometric(1, 0.01, 0));
    }
}
