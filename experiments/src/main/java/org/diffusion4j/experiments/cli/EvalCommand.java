package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.data.FashionMnist;
import org.diffusion4j.experiments.data.ImageDataset;
import org.diffusion4j.experiments.eval.ClassifierFeatures;
import org.diffusion4j.experiments.eval.ClassifierWeights;
import org.diffusion4j.experiments.eval.EvalReport;
import org.diffusion4j.experiments.eval.Metrics;
import org.diffusion4j.experiments.eval.SampleImages;
import org.diffusion4j.tensor.Backend;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code d4j eval}: scores generated Fashion-MNIST samples against the test split. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Scores generated Fashion-MNIST samples against the 10,000 test images on the features of the "
                + "committed feature network: FD-FMNIST, KID-FMNIST (with its standard error), precision and recall "
                + "(k=3) and the classifier score. Samples come from a .npy file of shape (N,1,28,28) or (N,784), "
                + "float32 or float64, with values in [-1, 1] (pixels scaled as x / 127.5 - 1). "
                + "See docs/evaluation.md for the definitions and the reference floors."})
public final class EvalCommand implements Callable<Integer> {

    @ParentCommand private Main d4j;
    @Spec private CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--npy", paramLabel = "SAMPLES.npy",
                description = "Samples to score: shape (N,1,28,28) or (N,784), values in [-1, 1].")
        Path npy;

        @Option(names = "--run", paramLabel = "DIR",
                description = "A run folder to sample from and append the metrics to (not yet available).")
        Path run;
    }

    @Option(names = "--dataset", defaultValue = "fashion-mnist", description = "Reference dataset; only fashion-mnist (default).")
    String dataset;

    @Option(names = "--n", description = "Score only the first N samples (default: all).")
    Integer n;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the KID and precision/recall subsets (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", paramLabel = "OUT", description = "Also write the metrics as JSON to OUT.")
    Path json;

    @Option(names = "--data", description = "Folder of the Fashion-MNIST IDX files (default: $D4J_DATA, else /usr/share/datasets/fashion-mnist).")
    Path data;

    @Option(names = "--weights", description = "Feature-network weights (default: the committed fmnist-classifier.safetensors).")
    Path weights;

    @Option(names = "--pr-rows", defaultValue = "" + Metrics.DEFAULT_PR_ROWS,
            description = "At most this many rows of each set for precision/recall, O(n^2) (default ${DEFAULT-VALUE}).")
    int prRows;

    @Option(names = "--kid-subsets", defaultValue = "" + Metrics.DEFAULT_KID_SUBSETS,
            description = "KID subsets of 1000 rows (default ${DEFAULT-VALUE}).")
    int kidSubsets;

    @Option(names = "--checkpoint", description = "With --run: the checkpoint to sample from.") Path checkpoint;
    @Option(names = "--sampler", description = "With --run: the sampler's name.") String sampler;
    @Option(names = "--steps", description = "With --run: the sampler's steps.") Integer steps;

    @Override
    public Integer call() throws Exception {
        if (!"fashion-mnist".equals(dataset)) throw new IllegalArgumentException("--dataset " + dataset
                + " is not supported; the only reference dataset is fashion-mnist");
        if (source.run != null) throw new IllegalStateException("eval --run is not yet available: it needs the run folders "
                + "and samplers of the experiments branch; sample to a .npy file and use --npy");
        double[][] samples = SampleImages.read(source.npy);
        if (n != null) {
            if (n < 2 || n > samples.length) throw new IllegalArgumentException("--n must be in [2, " + samples.length
                    + "] (the samples in " + source.npy + "), got " + n);
            samples = Arrays.copyOf(samples, n);
        }
        Backend backend = d4j.backend();
        ClassifierWeights.Loaded net = weights == null ? ClassifierWeights.committed(backend) : ClassifierWeights.read(weights, backend);
        ImageDataset test = FashionMnist.load(FashionMnist.folder(data), FashionMnist.Split.TEST);
        ClassifierFeatures.Output reference = ClassifierFeatures.of(net.model(), test, backend);
        ClassifierFeatures.Output generated = ClassifierFeatures.of(net.model(), samples, backend);
        Metrics m = Metrics.compute(generated, reference, seed, prRows, kidSubsets);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s: %d samples against the Fashion-MNIST test split (%d images)%n", source.npy, samples.length, test.size());
        out.print(m.render());
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("samples", source.npy.toString());
            doc.put("reference", "fashion-mnist test split");
            doc.put("seed", seed);
            doc.put("metrics", m.asMap());
            doc.put("feature_network", EvalReport.featureNetwork(net.metadata()));
            EvalReport.writeJson(json, doc);
            out.printf("wrote %s%n", json);
        }
        return 0;
    }
}
