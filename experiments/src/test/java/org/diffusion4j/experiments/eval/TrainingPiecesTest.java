package org.diffusion4j.experiments.eval;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class TrainingPiecesTest {

    @Test
    void crossEntropyMatchesAPlainLogSumExpLoopAndItsGradient() {
        int n = 17, c = 10;
        Random r = new Random(11);
        double[] logits = new double[n * c];
        int[] labels = new int[n];
        for (int i = 0; i < logits.length; i++) logits[i] = 4 * r.nextGaussian();
        for (int i = 0; i < n; i++) labels[i] = r.nextInt(c);
        Variable x = Variable.parameter(Tensor.of(Backends.cpu(), DType.F64, logits, n, c));
        Variable loss = ClassifierTrainer.crossEntropy(x, labels);
        loss.backward();
        double expected = 0;
        double[] grad = x.grad().toDoubleArray();
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < c; j++) max = Math.max(max, logits[i * c + j]);
            for (int j = 0; j < c; j++) sum += Math.exp(logits[i * c + j] - max);
            double lse = max + Math.log(sum);
            expected += (lse - logits[i * c + labels[i]]) / n;
            for (int j = 0; j < c; j++) {   // d/dlogit = (softmax - onehot) / n
                double g = (Math.exp(logits[i * c + j] - lse) - (j == labels[i] ? 1 : 0)) / n;
                assertEquals(g, grad[i * c + j], 1e-12);
            }
        }
        assertEquals(expected, loss.value().item(), 1e-12);
        int[] bad = labels.clone();
        bad[4] = 10;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClassifierTrainer.crossEntropy(x, bad));
        assertTrue(e.getMessage().contains("label 10 of row 4"), e.getMessage());
    }

    @Test
    void shufflesArePermutationsFixedByTheSeed() {
        for (int n : new int[]{1, 3, 17, 33}) {
            int[] p = PhiloxShuffle.permutation(n, 9, 2);
            boolean[] seen = new boolean[n];
            for (int v : p) { assertFalse(seen[v], "duplicate " + v); seen[v] = true; }
            assertArrayEquals(p, PhiloxShuffle.permutation(n, 9, 2));
        }
        assertFalse(java.util.Arrays.equals(PhiloxShuffle.permutation(33, 9, 2), PhiloxShuffle.permutation(33, 9, 3)));
        assertArrayEquals(java.util.Arrays.copyOf(PhiloxShuffle.permutation(33, 4, 1), 5), PhiloxShuffle.prefix(33, 5, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> PhiloxShuffle.prefix(3, 4, 0, 0));
    }

    @Test
    void shuffleIsRoughlyUniform() {
        // position 0 of a permutation of 4 takes each value with probability 1/4: 4,000 draws, 5 SE
        int[] counts = new int[4];
        for (int s = 0; s < 4000; s++) counts[PhiloxShuffle.permutation(4, s, 0)[0]]++;
        for (int k : counts) assertEquals(1000, k, 5 * Math.sqrt(4000 * 0.25 * 0.75));
    }
}
