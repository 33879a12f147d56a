package org.diffusion4j.experiments.audio;

import org.diffusion4j.experiments.eval.ClassifierFeatures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The audio scores on hand-made classifier outputs whose answers are known in closed form. */
class DigitScoresTest {
    static double[] oneHot(int k, double confidence) {
        double[] p = new double[10];
        java.util.Arrays.fill(p, (1 - confidence) / 9);
        p[k] = confidence;
        return p;
    }

    @Test void recognitionCountsTheClipsHeardAsTheAskedDigit() {
        // hand-labelled: the classifier hears 3, 3, 7, 0, 9 where 3, 4, 7, 0, 1 were asked: 3 of 5 right
        double[][] probs = {oneHot(3, 0.9), oneHot(3, 0.6), oneHot(7, 0.5), oneHot(0, 0.99), oneHot(9, 0.3)};
        double[][] features = new double[5][];
        for (int i = 0; i < 5; i++) features[i] = new double[]{i, i * i % 3, 1 - i};
        var generated = new ClassifierFeatures.Output(features, probs);
        DigitScores s = DigitScores.compute(generated, new int[]{3, 4, 7, 0, 1}, generated);
        assertEquals(0.6, s.recognition(), 1e-15);
        assertEquals(0.0, s.fd(), 1e-9);                 // a set against itself
        assertTrue(s.asMap().containsKey("digit_recognition"));

        DigitScores unconditional = DigitScores.compute(generated, null, generated);
        assertTrue(Double.isNaN(unconditional.recognition()));
        assertFalse(unconditional.asMap().containsKey("digit_recognition"));
        assertTrue(unconditional.render().contains("n/a (unconditional samples)"));

        var e = assertThrows(IllegalArgumentException.class, () -> DigitScores.recognitionRate(new int[]{1, 2}, new int[]{1}));
        assertTrue(e.getMessage().contains("2 predictions for 1 asked digits"), e.getMessage());
    }

    @Test void classifierScoreAndFrechetDistanceMatchTheirClosedForms() {
        // half the clips certainly "0", half certainly "1": exp(KL) = exp(ln 2) = 2
        double[][] probs = new double[8][], a = new double[8][], b = new double[8][];
        double[] shift = {0.5, -1.5, 2.0};
        for (int i = 0; i < 8; i++) {
            probs[i] = oneHot(i % 2, 1.0);
            a[i] = new double[]{Math.sin(i), Math.cos(3 * i), i % 3};
            b[i] = new double[]{a[i][0] + shift[0], a[i][1] + shift[1], a[i][2] + shift[2]};
        }
        DigitScores s = DigitScores.compute(new ClassifierFeatures.Output(a, probs), null, new ClassifierFeatures.Output(b, probs));
        assertEquals(2.0, s.classifierScore(), 1e-12);
        // equal covariances: FD = |mu_a - mu_b|^2 = 0.25 + 2.25 + 4
        assertEquals(6.5, s.fd(), 1e-6);
    }

    @Test void noiseFloorClipsAreSeededAndClipped() {
        double[][] x = DigitFloors.noiseClips(2, 9), y = DigitFloors.noiseClips(2, 9);
        assertArrayEquals(x[1], y[1], 0.0);
        double sq = 0;
        for (double v : x[0]) { assertTrue(Math.abs(v) <= 1); sq += v * v; }
        assertEquals(DigitFloors.NOISE_STD, Math.sqrt(sq / x[0].length), 0.02);
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1}, DigitFloors.askedDigits(12));
    }
}
