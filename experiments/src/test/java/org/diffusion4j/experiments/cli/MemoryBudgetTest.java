package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.config.ConfigLoader;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.train.TrainingSetup;
import org.diffusion4j.tensor.Backends;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class MemoryBudgetTest {

    /** The estimate must be a lower bound of the real network's parameters (so it never refuses what could fit), and not a loose one. */
    @ParameterizedTest
    @ValueSource(strings = {
            "model: {type: mlp, hidden: 16, depth: 3, embedding: 8}",
            "model: {type: mlp, hidden: 40, depth: 1, embedding: 4}",
            "data: {dataset: fashion-mnist}\nmodel: {type: unet-s, channels: 32, multipliers: [1, 2], attentionLevels: [], resBlocks: 1}",
            "data: {dataset: fashion-mnist}\nmodel: {type: unet-s}"})
    void theParameterEstimateIsALowerBoundWithinAFactorOfFive(String yaml) {
        TrainConfig c = ConfigLoader.parse(yaml, List.of());
        int elements = TrainCommand.sampleElements(c);
        int[] shape = c.data().holdsImages() ? new int[]{1, 28, 28} : new int[]{2};
        long actual = new TrainingSetup(c, Backends.cpu()).network(shape).module().parameterCount();
        double estimate = MemoryBudget.parameters(c.model(), elements);
        assertTrue(estimate <= actual && estimate >= actual / 5.0, "estimate " + estimate + " for " + actual + " parameters: " + yaml);
    }

    @Test
    void unetSGetsTheDocumentedBound() {
        TrainConfig c = ConfigLoader.parse("data: {dataset: fashion-mnist}\nmodel: {type: unet-s}", List.of());
        // 5 ResBlocks per level (2 down, 3 up) x 9 x (64^2 + 128^2 + 128^2)
        assertEquals(5 * 9 * (64 * 64 + 2 * 128 * 128), MemoryBudget.parameters(c.model(), 784));
    }

    @Test
    void aBatchIsRefusedAtTheHeapWithTheEstimate() {
        TrainConfig c = ConfigLoader.parse("training: {batchSize: 1000}", List.of());
        // 1000 x 2 values x 4 bytes x 6 tensors = 48,000 bytes
        MemoryBudget fits = new MemoryBudget(48_000 + 1_000_000), tight = new MemoryBudget(47_999);
        fits.checkTraining(c, 2);
        var e = assertThrows(MemoryBudget.TooLargeException.class, () -> tight.checkTraining(c, 2));
        assertTrue(e.getMessage().startsWith("training.batchSize 1000: needs at least 46.9 KiB"), e.getMessage());
        assertTrue(e.getMessage().contains("46.9 KiB Java heap"), e.getMessage());
    }

    @Test
    void widthsAreCheckedToo() {
        TrainConfig c = ConfigLoader.parse("model: {type: mlp, hidden: 1000000, depth: 3}", List.of());
        // 2 x 10^12 weights: far more than any test heap
        var e = assertThrows(MemoryBudget.TooLargeException.class, () -> MemoryBudget.ofThisJvm().checkTraining(c, 2));
        assertTrue(e.getMessage().startsWith("model.hidden 1000000, model.depth 3:"), e.getMessage());
    }

    @Test
    void humanUnits() {
        assertEquals("512 bytes", MemoryBudget.human(512));
        assertEquals("1.5 KiB", MemoryBudget.human(1536));
        assertEquals("149.0 GiB", MemoryBudget.human(2e9 * 80));
    }
}
