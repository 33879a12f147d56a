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
        // both sets are real Fashion-MNIST: the unbiased MMD^2 is 0 in expectation, so within 4 standard errors
        assertTrue(Math.abs(real.kid()) < 4 * real.kidStandardError() + 1e-3, "KID " + real.kid() + " +- " + real.kidStandardError());
        assertTrue(real.precision() > 0.5 && real.recall() > 0.5, "precision/recall of real images");
        assertTrue(noise.precision() < 0.05, "noise lies off the image manifold: precision " + noise.precision());
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
