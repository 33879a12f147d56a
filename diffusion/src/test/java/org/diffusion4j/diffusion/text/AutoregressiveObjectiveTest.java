package org.diffusion4j.diffusion.text;

import org.diffusion4j.tensor.Backends;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The autoregressive baseline with the Markov chain's exact conditionals: loss = -log2 p(x) / L, samples follow P. */
class AutoregressiveObjectiveTest {
    private static final MarkovChainLanguage CHAIN = MaskedDiffusionObjectiveTest.CHAIN;

    @Test void exactConditionalsGiveTheExactLogLikelihood() {
        int n = 50, l = 7;
        int[] x = CHAIN.sample(n, l, 4);
        AutoregressiveObjective ar = new AutoregressiveObjective(3);
        TokenDenoiser exact = CHAIN.autoregressiveNetwork(Backends.cpu());
        double expected = 0;
        double[] per = ar.bitsPerCharPerSequence(exact, x, n, l);
        for (int i = 0; i < n; i++) {
            double nll = -CHAIN.logProb(x, i * l, l) / (l * Math.log(2));
            assertEquals(nll, per[i], 1e-12, "sequence " + i);
            expected += nll / n;
        }
        assertEquals(expected, ar.bitsPerChar(exact, x, n, l), 1e-12);
        assertArrayEquals(new int[]{3, 1, 3, 0}, ar.shiftRight(new int[]{1, 2, 0, 1}, 2, 2));
    }

    @Test void samplesFollowTheTransitions() {
        int n = 2000, l = 5;
        int[] x = new AutoregressiveObjective(3).sample(CHAIN.autoregressiveNetwork(Backends.cpu()), n, l, 8);
        int[][] count = new int[3][3];
        int[] from = new int[3];
        for (int i = 0; i < x.length; i++) if (i % l != l - 1) { count[x[i]][x[i + 1]]++; from[x[i]]++; }
        double[][] p = {{0.8, 0.15, 0.05}, {0.1, 0.7, 0.2}, {0.25, 0.05, 0.7}};
        for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) {
            double sigma = Math.sqrt(p[a][b] * (1 - p[a][b]) / from[a]);
            assertEquals(p[a][b], (double) count[a][b] / from[a], 4.5 * sigma, "P(" + b + " | " + a + ")");
        }
    }
}
