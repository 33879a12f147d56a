package org.diffusion4j.diffusion.text;

import org.diffusion4j.tensor.Backends;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The unmasking sampler with the Markov chain's exact denoiser: its samples' statistics, the cache and NFE. */
class AncestralUnmaskingSamplerTest {
    private static final MarkovChainLanguage CHAIN = MaskedDiffusionObjectiveTest.CHAIN;
    private static final AbsorbingProcess PROCESS = new AbsorbingProcess(MaskingSchedule.LINEAR, 3);

    @Test void cachedAndUncachedGiveTheSameTokensWithFewerEvaluations() {
        TokenDenoiser exact = CHAIN.denoiser(Backends.cpu());
        int n = 4, l = 6;
        for (int steps : new int[]{3, 6, 64}) {
            var plain = new AncestralUnmaskingSampler(PROCESS, steps, false).sample(exact, n, l, 21);
            var cached = new AncestralUnmaskingSampler(PROCESS, steps, true).sample(exact, n, l, 21);
            assertArrayEquals(plain.tokens(), cached.tokens(), steps + " steps");
            assertEquals(steps, plain.nfe());
            for (int tok : cached.tokens()) assertTrue(tok >= 0 && tok < 3, "a mask survived the last step");
            // each evaluation but the first follows a step that revealed something; at most n l reveal events
            assertTrue(cached.nfe() <= Math.min(steps, n * l + 1), steps + " steps: cached NFE " + cached.nfe());
            if (steps == 64) assertTrue(cached.nfe() < steps, "the cache saved nothing at 64 steps: " + cached.nfe());
        }
    }

    @Test void manyStepsReproduceTheChainsTransitionsAndOneStepDoesNot() {
        int n = 2500, l = 5;
        TokenDenoiser exact = CHAIN.denoiser(Backends.cpu());
        var fine = new AncestralUnmaskingSampler(PROCESS, 512, true).sample(exact, n, l, 5);
        var coarse = new AncestralUnmaskingSampler(PROCESS, 1, false).sample(exact, n, l, 5);
        double fineError = 0, coarseError = 0;
        double[][] p = {{0.8, 0.15, 0.05}, {0.1, 0.7, 0.2}, {0.25, 0.05, 0.7}};
        for (int a = 0; a < 3; a++) {
            double[] f = transitions(fine.tokens(), l, a), c = transitions(coarse.tokens(), l, a);
            for (int b = 0; b < 3; b++) {
                double sigma = Math.sqrt(p[a][b] * (1 - p[a][b]) / f[3]);
                assertEquals(p[a][b], f[b], 4.5 * sigma + 0.005, "P(" + b + " | " + a + ") from 512 cached steps, NFE " + fine.nfe());
                fineError = Math.max(fineError, Math.abs(f[b] - p[a][b]));
                coarseError = Math.max(coarseError, Math.abs(c[b] - p[a][b]));
            }
        }
        // One step draws every token from its marginal independently: the transitions are lost.
        assertTrue(coarseError > 0.2, "one-step sampling kept the chain's correlations: error " + coarseError);
        assertTrue(fine.nfe() <= n * l + 1);
        System.out.printf("transition error: 512 cached steps (NFE %d) %.4f, 1 step %.4f%n", fine.nfe(), fineError, coarseError);
    }

    /** Empirical P(next = b | current = a) for b = 0..2, and the count of a's as element 3. */
    private static double[] transitions(int[] x, int l, int a) {
        double[] c = new double[4];
        for (int i = 0; i < x.length; i++) if (i % l != l - 1 && x[i] == a) { c[x[i + 1]]++; c[3]++; }
        for (int b = 0; b < 3; b++) c[b] /= c[3];
        return c;
    }

    @Test void badStepsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> new AncestralUnmaskingSampler(PROCESS, 0, true));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    }
}
