package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.data.FashionMnist;
import org.diffusion4j.experiments.eval.ClassifierWeights;
import org.diffusion4j.experiments.eval.Metrics;
import org.diffusion4j.tensor.Backend;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** The options that every FD-FMNIST scoring command shares (a picocli mixin of eval and eval-floors). */
public final class ScoringOptions {

    @Option(names = "--data", description = "Folder of the Fashion-MNIST IDX files (default: $D4J_DATA, else /usr/share/datasets/fashion-mnist).")
    Path data;

    @Option(names = "--any-size", description = "Accept Fashion-MNIST files whose count is not the official 60,000 / 10,000 "
            + "(a subset or custom data); without it such files are refused as truncated.")
    boolean anySize;

    @Option(names = "--weights", description = "Feature-network weights (default: the committed fmnist-classifier.safetensors).")
    Path weights;

    @Option(names = "--pr-rows", defaultValue = "" + Metrics.DEFAULT_PR_ROWS,
            description = "At most this many rows of each set for precision/recall, O(n^2) (default ${DEFAULT-VALUE}).")
    int prRows;

    @Option(names = "--kid-subsets", defaultValue = "" + Metrics.DEFAULT_KID_SUBSETS,
            description = "KID subsets of 1000 rows (default ${DEFAULT-VALUE}).")
    int kidSubsets;

    /** The feature network: --weights, else the committed one. */
    ClassifierWeights.Loaded featureNetwork(Backend backend) throws IOException {
        return weights == null ? ClassifierWeights.committed(backend) : ClassifierWeights.read(weights, backend);
    }

    /** The Fashion-MNIST folder: --data, else D4J_DATA, else Debian's. */
    Path dataFolder() { return FashionMnist.folder(data); }
}
