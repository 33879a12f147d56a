package org.diffusion4j.experiments.eval;

import org.diffusion4j.tensor.Backends;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The floors pipeline on small subsets: real images score far better than any baseline. */
class ReferenceFloorsTest {

    @Test
    void trainVersusTestIsFarBelowEveryBaseline() throws Exception {
        var train = FashionMnistTestData.train();
        var test = FashionMnistTestData.test();
        ClassifierWeights.Loaded net = ClassifierWeights.committed(Backends.cpu());
        int n = 400;
        List<ReferenceFloors.Row> rows = new ReferenceFloors(net.model(), Backends.cpu()).compute(train, test, n, 3, 400, 5);
        assertEquals(4, rows.size());
        Metrics real = rows.get(0).metrics(), noisy = rows.get(1).metrics(), blurred = rows.get(2).metrics(),
                noise = rows.get(3).metrics();
        for (ReferenceFloors.Row r : rows) {
            System.out.printf("%-32s FD-FMNIST %.3f  KID %.5f +- %.5f  P %.3f R %.3f  CS %.3f%n", r.name(),
                    r.metrics().fd(), r.metrics().kid(), r.metrics().kidStandardError(), r.metrics().precision(),
                    r.metrics().recall(), r.metrics().classifierScore());
            assertEquals(n, r.metrics().generated());
            assertEquals(n, r.metrics().reference());
        }
        assertTrue(real.fd() < 0.1 * noise.fd(), "train-vs-test FD " + real.fd() + " vs noise FD " + noise.fd());
        assertTrue(real.fd() < blurred.fd() && real.fd() < noisy.fd(), "real images must beat the degraded ones");
        assertTrue(real.kid() < noise.kid() / 10, "KID real " + real.kid() + " vs noise " + noise.kid());
        assertEquals(200, real.kidSubsetSize(), "KID subsets hold half of each set");
        assertTrue(real.kidStandardError() > 0, "distinct subsets give a spread");
        // both sets are real Fashion-MNIST: the unbiased MMD^2 is 0 in expectation. With 400 images its sampling
        // noise is of the order of the mild baselines' values (and the standard error over overlapping subsets of
        // the same 400 understates it), so only the gross scale is tested here: near 0 next to noise.
        assertTrue(Math.abs(real.kid()) < 0.05 * noise.kid(), "KID " + real.kid() + " vs noise " + noise.kid());
        assertTrue(real.kid() < blurred.kid(), "KID real " + real.kid() + " vs blurred " + blurred.kid());
        assertTrue(real.precision() > 0.5 && real.recall() > 0.5, "precision/recall of real images");
        // noise features sit inside the real manifold's largest balls (so its precision is high, see
        // docs/evaluation.md) but cover none of the real images
        assertTrue(noise.recall() < 0.05, "noise covers no real image: recall " + noise.recall());
        assertTrue(blurred.recall() < real.recall(), "blur loses recall");
        assertTrue(real.classifierScore() > noise.classifierScore(), "classifier score");
    }

    @Test
    void subsetSizeIsChecked() throws Exception {
        var test = FashionMnistTestData.test();
        ReferenceFloors f = new ReferenceFloors(ClassifierWeights.committed(Backends.cpu()).model(), Backends.cpu());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.compute(test, test, 20000, 0, 10, 1));
        assertTrue(e.getMessage().contains("20000"), e.getMessage());
    }
}
