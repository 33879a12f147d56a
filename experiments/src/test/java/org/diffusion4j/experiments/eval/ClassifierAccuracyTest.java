package org.diffusion4j.experiments.eval;

import org.diffusion4j.experiments.data.ImageDataset;
import org.diffusion4j.tensor.Backends;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The committed feature network still classifies the whole test split as well as its metadata says. */
class ClassifierAccuracyTest {

    @Test
    void committedWeightsReachTheRecordedTestAccuracy() throws Exception {
        ImageDataset test = FashionMnistTestData.test();
        ClassifierWeights.Loaded net = ClassifierWeights.committed(Backends.cpu());
        double recorded = net.recordedAccuracy();
        assertTrue(recorded >= 0.92, "recorded accuracy " + recorded + " is below the 92% the issue asks for");

        ClassifierFeatures.Output out = ClassifierFeatures.of(net.model(), test, Backends.cpu());
        int[] predicted = out.predictions();
        int correct = 0;
        for (int i = 0; i < test.size(); i++) if (predicted[i] == test.label(i)) correct++;
        double accuracy = correct / (double) test.size();
        System.out.printf("feature network: test accuracy %.4f (recorded %.4f)%n", accuracy, recorded);
        // recorded with 4 decimals; allow 5 images of 10,000 for kernel round-off differences between machines
        assertEquals(recorded, accuracy, 5.5e-4, "test accuracy of the committed weights");

        assertEquals(FmnistClassifier.FEATURES, out.features()[0].length);
        for (double[] p : out.probabilities()) {
            double sum = 0;
            for (double v : p) { assertTrue(v >= 0); sum += v; }
            assertEquals(1.0, sum, 1e-5);
        }
    }

    @Test
    void metadataNamesSeedEpochsAndCommit() {
        ClassifierWeights.Loaded net = ClassifierWeights.committed(Backends.cpu());
        for (String key : new String[]{"seed", "epochs", "test_accuracy", "commit"}) {
            assertNotNull(net.metadata().get(key), "metadata key " + key + " in " + net.metadata());
        }
    }
}
