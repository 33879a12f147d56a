package org.diffusion4j.experiments.audio;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.experiments.train.EpochOrder;
import org.diffusion4j.nn.Init;
import org.diffusion4j.optim.AdamW;
import org.diffusion4j.optim.LearningRateSchedule;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The spoken-digit classifier: its input, its shapes, and a few training steps on tones that must lower the loss. */
class DigitClassifierTest {
    static final Backend CPU = Backends.cpu();

    /** 1-s clips: a tone of 250 + 250 d Hz (d the label) in the middle 0.4 s, amplitude 0.3..0.9, a phase per clip. */
    static AudioDataset tones(int n, long seed) {
        double[][] clips = new double[n][SpokenDigits.CLIP_SAMPLES];
        int[] labels = new int[n];
        for (int k = 0; k < n; k++) {
            labels[k] = (int) ((k + seed) % 10);
            double amplitude = 0.3 + 0.6 * ((k * 7 + seed) % 10) / 9.0;
            for (int i = 2400; i < 5600; i++) {
                clips[k][i] = amplitude * Math.sin(2 * Math.PI * (250 + 250 * labels[k]) * i / 8000.0 + 0.37 * k + seed);
            }
        }
        return new AudioDataset(clips, labels);
    }

    static DigitClassifier model(long seed) {
        try (Init init = Init.seeded(seed, CPU, DType.F32)) { return new DigitClassifier(); }
    }

    @Test void theInputIsTheNormalisedLogMelAndIgnoresTheGain() {
        double[] clip = tones(1, 3).clip(0);
        double[] x = DigitClassifier.input(clip);
        assertEquals(LogMel.BANDS * DigitClassifier.FRAMES, x.length);
        double[][] mel = new LogMel(8000).compute(clip);
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 1; t <= 120; t++) for (double v : mel[t]) max = Math.max(max, v);
        // band 17 of frame 40 (network frame 39), written out from the definition
        assertEquals(Math.max(mel[40][17] - max, -12) / 6 + 1, x[17 * 120 + 39], 1e-12);
        double top = Double.NEGATIVE_INFINITY, bottom = Double.POSITIVE_INFINITY;
        for (double v : x) { top = Math.max(top, v); bottom = Math.min(bottom, v); }
        assertEquals(1.0, top, 1e-12);
        assertEquals(-1.0, bottom, 1e-12);                 // the silent edges sit at the floor
        double[] half = clip.clone();
        for (int i = 0; i < half.length; i++) half[i] *= 0.5;
        assertArrayEquals(x, DigitClassifier.input(half), 1e-9);
        var e = assertThrows(IllegalArgumentException.class, () -> DigitClassifier.input(new double[4000]));
        assertTrue(e.getMessage().contains("8000 samples") && e.getMessage().contains("got 4000"), e.getMessage());
    }

    @Test void forwardShapesAndBadShapes() {
        DigitClassifier m = model(1);
        m.eval();
        var out = DigitFeatures.of(m, DigitFeatures.clips(tones(3, 0)), CPU);
        assertEquals(3, out.size());
        assertEquals(DigitClassifier.FEATURES, out.features()[0].length);
        for (double[] p : out.probabilities()) {
            assertEquals(10, p.length);
            assertEquals(1.0, java.util.Arrays.stream(p).sum(), 1e-5);
        }
        try (NoGrad g = NoGrad.enter()) {
            Variable logits = m.forward(Variable.constant(Tensor.randn(CPU, DType.F32, 2, 0, 5, 64, 120)));
            assertArrayEquals(new int[]{5, 10}, logits.shape());
            var e = assertThrows(IllegalArgumentException.class, () -> m.forward(Variable.constant(Tensor.zeros(CPU, DType.F32, 2, 64, 122))));
            assertTrue(e.getMessage().contains("[N, 64, 120]") && e.getMessage().contains("[2, 64, 122]"), e.getMessage());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> DigitFeatures.of(m, new double[][]{new double[8000], new double[100]}, CPU));
        assertTrue(e.getMessage().contains("clip 1 has 100 samples"), e.getMessage());
        assertTrue(m.parameterCount() < 250_000, "parameters: " + m.parameterCount());   // the committed file stays < 1 MB
    }

    @Test void aFewStepsOnTonesLowerTheLoss() {
        AudioDataset data = tones(64, 5);
        DigitClassifier m = model(2);
        m.train();
        AdamW opt = new AdamW(m.namedParameters(), 3e-3, 0.9, 0.999, 1e-8, 0);
        LearningRateSchedule constant = LearningRateSchedule.constant(3e-3);
        double[][] clips = DigitFeatures.clips(data);
        EpochOrder order = new EpochOrder(data.size(), 5, "test");
        double first = 0, last = 0;
        int steps = 12;
        for (int s = 0; s < steps; s++) {
            double loss = DigitClassifierTrainer.step(m, CPU, opt, constant, s, order.indices(s, 32), clips, data);
            if (s < 3) first += loss / 3;
            if (s >= steps - 3) last += loss / 3;
        }
        assertTrue(first > 1.8, "the untrained loss is about ln 10 = 2.3, got " + first);
        assertTrue(last < 0.7 * first, "loss went from " + first + " to " + last);
    }
}
