package org.diffusion4j.diffusion.schedule;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class DiscreteScheduleTest {

    @Test
    void linearAlphaBarAtLastStepIsTheProductOfOneMinusBeta() {
        DiscreteSchedule s = DiscreteSchedule.linear(1000, 1e-4, 0.02);
        // independent reference: the product written out, betas from the closed form 1e-4 + (0.02 - 1e-4) t / 999
        double prod = 1;
        for (int t = 0; t < 1000; t++) prod *= 1 - (1e-4 + (0.02 - 1e-4) * t / 999.0);
        assertEquals(prod, s.alphaBar(999), 1e-15);
        // the published value, about 4.0358e-5 (e.g. diffusers' alphas_cumprod[-1] for this schedule)
        assertEquals(4.0358e-5, s.alphaBar(999), 5e-9);
        assertEquals(1 - 1e-4, s.alphaBar(0), 1e-15);
        assertEquals(1.0, s.alphaBarPrev(0));
        assertEquals(s.alphaBar(41), s.alphaBarPrev(42));
    }

    @Test
    void scaledLinearSquaresALinearSqrtBeta() {
        DiscreteSchedule s = DiscreteSchedule.scaledLinear(17, 0.00085, 0.012);
        for (int i = 0; i < 17; i++) {
            double r = Math.sqrt(0.00085) + (Math.sqrt(0.012) - Math.sqrt(0.00085)) * i / 16.0;
            assertEquals(r * r, s.beta(i), 1e-15);
        }
    }

    @Test
    void cosineAlphaBarFollowsItsClosedFormWhereUnclipped() {
        int T = 33;
        DiscreteSchedule s = DiscreteSchedule.cosine(T);
        double f0 = Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);
        for (int i = 0; i < T - 1; i++) {   // the last beta is clipped to 0.999
            double ft = Math.pow(Math.cos(((i + 1.0) / T + 0.008) / 1.008 * Math.PI / 2), 2);
            assertEquals(ft / f0, s.alphaBar(i), 1e-12, "index " + i);
        }
        assertEquals(0.999, s.beta(T - 1), 1e-15);
    }

    @Test
    void sigmoidScheduleDecreasesFromNearOneToNearZero() {
        DiscreteSchedule s = DiscreteSchedule.sigmoid(1000);
        double vs = 1 / (1 + Math.exp(3)), ve = 1 / (1 + Math.exp(-3));
        double u = 500 / 1000.0;
        double expected = (ve - 1 / (1 + Math.exp(-(u * 6 - 3)))) / (ve - vs);
        assertEquals(expected, s.alphaBar(499), 1e-12);
        for (int i = 1; i < 1000; i++) assertTrue(s.alphaBar(i) < s.alphaBar(i - 1));
    }

    @Test
    void zeroTerminalSnrRescalingZeroesTheLastAlphaBarAndKeepsTheFirst() {
        DiscreteSchedule base = DiscreteSchedule.scaledLinear(1000, 0.00085, 0.012);
        DiscreteSchedule z = base.rescaledToZeroTerminalSnr();
        assertEquals(0.0, z.alphaBar(999), 0.0);
        assertEquals(base.alphaBar(0), z.alphaBar(0), 1e-14);
        assertEquals(0.0, z.snr(999), 0.0);
        // Lin et al. Algorithm 1 written independently: sqrt(abar) shifted and scaled, checked mid-way
        double a0 = Math.sqrt(base.alphaBar(0)), aT = Math.sqrt(base.alphaBar(999));
        double r = (Math.sqrt(base.alphaBar(500)) - aT) * a0 / (a0 - aT);
        assertEquals(r * r, z.alphaBar(500), 1e-12);
    }

    @Test
    void sigmaIsTheVarianceExplodingNoiseLevelAndIndexOfSigmaInvertsIt() {
        DiscreteSchedule s = DiscreteSchedule.ddpmLinear();
        for (int i : new int[]{0, 1, 17, 500, 999}) {
            assertEquals(Math.sqrt((1 - s.alphaBar(i)) / s.alphaBar(i)), s.sigma(i), 1e-12);
            assertEquals(i, s.indexOfSigma(s.sigma(i)), 1e-9);
        }
        double mid = Math.sqrt(s.sigma(10) * s.sigma(11));   // geometric mean: half-way in log sigma
        assertEquals(10.5, s.indexOfSigma(mid), 1e-9);
    }

    @Test
    void badInputsNameTheValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> DiscreteSchedule.linear(0, 1e-4, 0.02));
        assertTrue(e.getMessage().contains("0"));
        e = assertThrows(IllegalArgumentException.class, () -> DiscreteSchedule.linear(10, -1, 0.02));
        assertTrue(e.getMessage().contains("-1"));
        e = assertThrows(IllegalArgumentException.class, () -> new DiscreteSchedule("x", new double[]{0.1, 1.5}));
        assertTrue(e.getMessage().contains("1.5"));
        assertThrows(IndexOutOfBoundsException.class, () -> DiscreteSchedule.ddpmLinear().alphaBar(1000));
    }
}
