package org.diffusion4j.experiments.audio;

import org.diffusion4j.io.Safetensors;
import org.diffusion4j.nn.Init;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@link DigitClassifier} weights as safetensors with metadata (seed, epochs, test-voice accuracy, dataset, commit).
 * The committed weights live on the class path at {@link #RESOURCE}, written by {@code ./d4j train-digit-classifier}
 * (docs/audio.md), as the Fashion-MNIST feature network's are.
 */
public final class DigitClassifierWeights {
    public static final String RESOURCE = "/org/diffusion4j/experiments/audio/digit-classifier.safetensors";

    /** A loaded model (in evaluation mode) and its metadata. */
    public record Loaded(DigitClassifier model, Map<String, String> metadata) {}

    private DigitClassifierWeights() {}

    public static void write(Path file, DigitClassifier model, Map<String, String> metadata) {
        Safetensors.write(file, model.stateDict(), metadata);
    }

    public static Loaded read(Path file, Backend backend) {
        Safetensors.Contents c = Safetensors.read(file, backend);
        DigitClassifier model;
        try (Init init = Init.seeded(0, backend, DType.F32)) { model = new DigitClassifier(); }
        model.loadStateDict(c.tensors());
        model.eval();
        return new Loaded(model, c.metadata());
    }

    /** The committed classifier. */
    public static Loaded committed(Backend backend) {
        try (InputStream in = DigitClassifierWeights.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("the digit classifier " + RESOURCE + " is missing from the class path");
            Path tmp = Files.createTempFile("digit-classifier", ".safetensors");
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
}
