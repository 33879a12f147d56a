package org.diffusion4j.experiments.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PrecisionRecallTest {

    @Test
    void hand_builtManifolds() {
        // Real points on a line with unit spacing: with k = 1 each ball has radius 1.
        double[][] real = {{0, 0}, {1, 0}, {2, 0}, {3, 0}};
        // Two generated points inside the real manifold, two far away; generated points pairwise far apart.
        double[][] gen = {{0.5, 0.5}, {2.5, 0}, {10, 10}, {-10, 10}};
        var r = PrecisionRecall.compute(real, gen, 1);
        assertEquals(0.5, r.precision(), 0.0);
        // Generated radii (k = 1): (0.5,0.5)-(2.5,0) dist^2 = 4.25 for both; far ones are ~12.5+ apart.
        // Real points within sqrt(4.25) of (0.5,0.5) or (2.5,0): all four.
        assertEquals(1.0, r.recall(), 0.0);
    }

    @Test
    void classifierScoreBounds() {
        double[][] same = {{1, 0, 0}, {1, 0, 0}};
        double[][] spread = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        assertEquals(1.0, ClassifierScore.of(same), 1e-12);
        assertEquals(3.0, ClassifierScore.of(spread), 1e-12);
    }
}
