package org.diffusion4j.diffusion.text;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The forward process's marginals, independence and posterior against their closed forms. */
class AbsorbingProcessTest {
    private static final int V = 5, N = 40, L = 500;     // 20,000 tokens per time

    @Test void maskedFractionMatchesOneMinusAlphaAndKeptTokensAreUntouched() {
        int[] x = new int[N * L];
        for (int i = 0; i < x.length; i++) x[i] = (i * 7 + i / 3) % V;
        for (MaskingSchedule schedule : new MaskingSchedule[]{MaskingSchedule.LINEAR, MaskingSchedule.COSINE}) {
            AbsorbingProcess q = new AbsorbingProcess(schedule, V);
            for (double t : new double[]{0.05, 0.3, 0.5, 0.77, 0.95}) {
                double[] times = new double[N];
                java.util.Arrays.fill(times, t);
                int[] z = q.corrupt(x, L, times, 11, (long) (t * 100));
                int masked = 0, bothMasked = 0, pairs = 0;
                for (int i = 0; i < z.length; i++) {
                    if (z[i] == V) masked++;
                    else assertEquals(x[i], z[i], "an unmasked token changed at " + i);
                    if (i % L != L - 1) { pairs++; if (z[i] == V && z[i + 1] == V) bothMasked++; }
                }
                double p = 1 - schedule.alpha(t), freq = (double) masked / z.length;
                double sigma = Math.sqrt(p * (1 - p) / z.length);
                assertEquals(p, freq, 4 * sigma, schedule.name() + " t = " + t + ": masked fraction");
                // independence across positions: P(both of two neighbours masked) = p^2
                double pairFreq = (double) bothMasked / pairs, pairSigma = Math.sqrt(p * p * (1 - p * p) / pairs);
                assertEquals(p * p, pairFreq, 5 * pairSigma, schedule.name() + " t = " + t + ": neighbours masked together");
            }
        }
    }

    @Test void endpointsAndWeightsFollowTheSchedule() {
        for (MaskingSchedule s : new MaskingSchedule[]{MaskingSchedule.LINEAR, MaskingSchedule.COSINE}) {
            assertEquals(1.0, s.alpha(0), 1e-15, s.name());
            assertEquals(0.0, s.alpha(1), 1e-15, s.name());
            for (double t : new double[]{0.01, 0.2, 0.5, 0.9, 0.999}) {
                double h = 1e-6, numericDerivative = (s.alpha(t + h) - s.alpha(t - h)) / (2 * h);
                assertEquals(numericDerivative, s.alphaDerivative(t), 1e-8, s.name() + " alpha'(" + t + ")");
                assertEquals(-numericDerivative / (1 - s.alpha(t)), s.weight(t), 1e-6 * s.weight(t), s.name() + " w(" + t + ")");
            }
        }
        assertEquals(1 / 0.25, MaskingSchedule.LINEAR.weight(0.25), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> MaskingSchedule.named("sqrt"));
    }

    @Test void revealProbabilitiesTelescopeToTheMarginal() {
        // Starting all masked at t = 1, a token still masked at s after steps 1 -> ... -> s has probability
        // prod (1 - reveal) = prod (1 - alpha_s_k) / (1 - alpha_t_k) = 1 - alpha_s: the reverse chain has the forward marginals.
        for (MaskingSchedule schedule : new MaskingSchedule[]{MaskingSchedule.LINEAR, MaskingSchedule.COSINE}) {
            AbsorbingProcess q = new AbsorbingProcess(schedule, V);
            int steps = 37;
            double stillMasked = 1;
            for (int k = steps; k >= 1; k--) {
                double t = (double) k / steps, s = (double) (k - 1) / steps;
                stillMasked *= 1 - q.unmaskProbability(t, s);
                assertEquals(1 - schedule.alpha(s), stillMasked, 1e-12, schedule.name() + " at s = " + s);
            }
        }
    }

    @Test void badInputsAreNamed() {
        AbsorbingProcess q = new AbsorbingProcess(MaskingSchedule.LINEAR, V);
        var e = assertThrows(IllegalArgumentException.class, () -> q.corrupt(new int[]{0, 5}, 2, new double[]{0.5}, 1, 1));
        assertTrue(e.getMessage().contains("token 5") && e.getMessage().contains("0..4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> q.maskProbability(1.5));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> q.unmaskProbability(0.3, 0.5));
        assertTrue(e.getMessage().contains("s = 0.5"), e.getMessage());
    }
}
