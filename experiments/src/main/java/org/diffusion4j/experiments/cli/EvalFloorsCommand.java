package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.data.FashionMnist;
import org.diffusion4j.experiments.data.ImageDataset;
import org.diffusion4j.experiments.eval.ClassifierWeights;
import org.diffusion4j.experiments.eval.EvalReport;
import org.diffusion4j.experiments.eval.Metrics;
import org.diffusion4j.experiments.eval.ReferenceFloors;
import org.diffusion4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code d4j eval-floors}: the reference floors of FD-FMNIST and KID (docs/evaluation.md). */
@Command(name = "eval-floors", mixinStandardHelpOptions = true,
        description = {"Computes the reference floors of FD-FMNIST, KID-FMNIST, precision/recall and the classifier "
                + "score: N training images against N test images (what a perfect model scores), and the baselines "
                + "Gaussian noise, blurred training images and training images plus noise, for each subset size N."})
public final class EvalFloorsCommand implements Callable<Integer> {

    @ParentCommand private Main d4j;
    @Spec private CommandSpec spec;

    @Option(names = "--n", split = ",", defaultValue = "5000,10000", description = "Subset sizes (default ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the subsets, noise and KID subsets (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", paramLabel = "OUT", description = "Also write the table as JSON to OUT.")
    Path json;

    @Mixin ScoringOptions scoring;

    @Override
    public Integer call() throws Exception {
        Backend backend = d4j.backend();
        ClassifierWeights.Loaded net = scoring.featureNetwork(backend);
        Path folder = scoring.dataFolder();
        ImageDataset train = FashionMnist.load(folder, FashionMnist.Split.TRAIN, scoring.anySize);
        ImageDataset test = FashionMnist.load(folder, FashionMnist.Split.TEST, scoring.anySize);
        ReferenceFloors floors = new ReferenceFloors(net.model(), backend);
        PrintWriter out = spec.commandLine().getOut();
        out.println("| N vs N | candidate | FD-FMNIST | KID-FMNIST +- SE | precision | recall | classifier score |");
        out.println("| --- | --- | --- | --- | --- | --- | --- |");
        List<Map<String, Object>> table = new ArrayList<>();
        for (int n : sizes) {
            for (ReferenceFloors.Row row : floors.compute(train, test, n, seed, scoring.prRows, scoring.kidSubsets)) {
                Metrics m = row.metrics();
                out.printf(Locale.ROOT, "| %d | %s | %.3f | %.4f +- %.4f | %.3f | %.3f | %.3f |%n", n, row.name(), m.fd(),
                        m.kid(), m.kidStandardError(), m.precision(), m.recall(), m.classifierScore());
                out.flush();
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("n", n);
                entry.put("candidate", row.name());
                entry.put("metrics", m.asMap());
                table.add(entry);
            }
        }
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("reference", "fashion-mnist test split (seeded subsets)");
            doc.put("seed", seed);
            doc.put("floors", table);
            doc.put("feature_network", EvalReport.featureNetwork(net.metadata()));
            EvalReport.writeJson(json, doc);
            out.printf("wrote %s%n", json);
        }
        return 0;
    }
}
