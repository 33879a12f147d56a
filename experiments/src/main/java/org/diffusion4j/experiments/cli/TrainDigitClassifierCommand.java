package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.audio.AudioDataset;
import org.diffusion4j.experiments.audio.DigitClassifier;
import org.diffusion4j.experiments.audio.DigitClassifierTrainer;
import org.diffusion4j.experiments.audio.DigitClassifierWeights;
import org.diffusion4j.experiments.audio.SpokenDigits;
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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code d4j train-digit-classifier}: trains the spoken-digit classifier that scores generated audio. */
@Command(name = "train-digit-classifier", mixinStandardHelpOptions = true,
        description = {"Trains the spoken-digit classifier (a 1-D CNN on log-mel spectrograms, docs/audio.md) on the training "
                + "voices of a spoken-digits folder, measures its accuracy on the test voices (never heard in training) and "
                + "writes its weights as safetensors with the seed, epochs and test accuracy as metadata."})
public final class TrainDigitClassifierCommand implements Callable<Integer> {

    @ParentCommand private Main d4j;
    @Spec private CommandSpec spec;

    @Option(names = "--data", description = "The spoken-digits folder (default: the one `d4j data spoken-digits` makes for seed 0).")
    Path data;

    @Option(names = "--epochs", defaultValue = "4", description = "Passes over the training clips (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the initial weights and the shuffles (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "digit-classifier.safetensors", description = "Weights file to write (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--commit", defaultValue = "unknown", description = "Commit recorded in the metadata (e.g. $(git rev-parse HEAD)).")
    String commit;

    @Override
    public Integer call() throws Exception {
        Backend backend = d4j.backend();
        PrintWriter log = spec.commandLine().getOut();
        Path folder = data != null ? data : SpokenDigits.defaultFolder(0);
        AudioDataset train = AudioDataset.load(folder, "train");
        AudioDataset test = AudioDataset.load(folder, "test");
        log.printf("training the digit classifier on %s: %d training clips, %d test-voice clips, %d epochs, seed %d%n",
                backend.description(), train.size(), test.size(), epochs, seed);
        DigitClassifierTrainer.Result r = new DigitClassifierTrainer(backend, log).train(train, test, epochs, seed);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", DigitClassifier.class.getSimpleName());
        meta.put("seed", Long.toString(seed));
        meta.put("epochs", Integer.toString(epochs));
        meta.put("batch", Integer.toString(DigitClassifierTrainer.BATCH));
        meta.put("test_accuracy", String.format(Locale.ROOT, "%.4f", r.testAccuracy()));
        meta.put("train_clips", Integer.toString(train.size()));
        meta.put("test_clips", Integer.toString(test.size()));
        meta.put("dataset", folder.toAbsolutePath().toString());
        meta.put("device", backend.description());
        meta.put("commit", commit);
        meta.put("date", Instant.now().toString());
        meta.put("train_seconds", String.format(Locale.ROOT, "%.0f", r.seconds()));
        DigitClassifierWeights.write(out, r.model(), meta);
        log.printf("test-voice accuracy %.4f after %.0f s; wrote %s%n", r.testAccuracy(), r.seconds(), out);
        return 0;
    }
}
