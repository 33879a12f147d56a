package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.data.FashionMnist;
import org.diffusion4j.experiments.data.ImageDataset;
import org.diffusion4j.experiments.eval.ClassifierTrainer;
import org.diffusion4j.experiments.eval.ClassifierWeights;
import org.diffusion4j.experiments.eval.FmnistClassifier;
import org.diffusion4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code d4j train-classifier}: trains the FD-FMNIST feature network and writes its weights. */
@Command(name = "train-classifier", mixinStandardHelpOptions = true,
        description = {"Trains the Fashion-MNIST classifier whose 128 penultimate activations are the features of "
                + "FD-FMNIST, KID and precision/recall (see docs/evaluation.md), and writes its weights as safetensors "
                + "with the seed, epochs and test accuracy as metadata."})
public final class TrainClassifierCommand implements Callable<Integer> {

    @ParentCommand private Main d4j;
    @Spec private CommandSpec spec;

    @Option(names = "--epochs", defaultValue = "6", description = "Passes over the 60,000 training images (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the initial weights and the shuffles (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "fmnist-classifier.safetensors", description = "Weights file to write (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--data", description = "Folder of the Fashion-MNIST IDX files (default: $D4J_DATA, else /usr/share/datasets/fashion-mnist).")
    Path data;

    @Option(names = "--commit", defaultValue = "unknown", description = "Commit recorded in the metadata (e.g. $(git rev-parse HEAD)).")
    String commit;

    @Override
    public Integer call() throws Exception {
        Backend backend = d4j.backend();
        PrintWriter log = spec.commandLine().getOut();
        Path folder = FashionMnist.folder(data);
        ImageDataset train = FashionMnist.load(folder, FashionMnist.Split.TRAIN);
        ImageDataset test = FashionMnist.load(folder, FashionMnist.Split.TEST);
        log.printf("training the FD-FMNIST feature network on %s: %d epochs, seed %d%n", backend.description(), epochs, seed);
        ClassifierTrainer.Result r = new ClassifierTrainer(backend, log).train(train, test, epochs, seed);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", FmnistClassifier.class.getSimpleName());
        meta.put("seed", Long.toString(seed));
        meta.put("epochs", Integer.toString(epochs));
        meta.put("batch", Integer.toString(ClassifierTrainer.BATCH));
        meta.put("test_accuracy", String.format(java.util.Locale.ROOT, "%.4f", r.testAccuracy()));
        meta.put("device", backend.description());
        meta.put("commit", commit);
        meta.put("date", Instant.now().toString());
        meta.put("train_seconds", String.format(java.util.Locale.ROOT, "%.0f", r.seconds()));
        ClassifierWeights.write(out, r.model(), meta);
        log.printf("test accuracy %.4f after %.0f s; wrote %s%n", r.testAccuracy(), r.seconds(), out);
        return 0;
    }
}
