package org.diffusion4j.experiments.eval;

import org.diffusion4j.io.Safetensors;
import org.diffusion4j.nn.Init;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes {@link FmnistClassifier} weights as safetensors with metadata (seed, epochs, test
 * accuracy, commit, command). The committed weights of the feature network live on the class path at
 * {@link #RESOURCE}; they were produced by {@code ./d4j train-classifier} (see docs/evaluation.md).
 */
public final class ClassifierWeights {
    /** Class-path location of the committed feature network. */
    public static final String RESOURCE = "/org/diffusion4j/experiments/eval/fmnist-classifier.safetensors";

    /** A loaded model and the metadata stored next to its weights. */
    public record Loaded(FmnistClassifier model, Map<String, String> metadata) {
        /** The test accuracy recorded when the weights were written. */
        public double recordedAccuracy() {
            String a = metadata.get("test_accuracy");
            if (a == null) throw new IllegalStateException("classifier weights carry no test_accuracy metadata");
            try {
                return Double.parseDouble(a);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("classifier weights' test_accuracy metadata is '" + a + "', expected a number");
            }
        }
    }

    private ClassifierWeights() { }

    public static void write(Path file, FmnistClassifier model, Map<String, String> metadata) {
        Safetensors.write(file, model.stateDict(), metadata);
    }

    public static Loaded read(Path file, Backend backend) {
        Safetensors.Contents c = Safetensors.read(file, backend);
        return build(c, backend);
    }

    /** The committed feature network (class-path resource {@link #RESOURCE}). */
    public static Loaded committed(Backend backend) {
        try (InputStream in = ClassifierWeights.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("the feature network " + RESOURCE + " is missing from the class path");
            Path tmp = Files.createTempFile("fmnist-classifier", ".safetensors");
            try {
                Files.write(tmp, in.readAllBytes());
                return read(tmp, backend);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Loaded build(Safetensors.Contents c, Backend backend) {
        FmnistClassifier model;
        try (Init init = Init.seeded(0, backend, DType.F32)) { model = new FmnistClassifier(); }
        LinkedHashMap<String, Tensor> state = c.tensors();
        model.loadStateDict(state);
        model.eval();
        return new Loaded(model, c.metadata());
    }
}
