package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.data.FashionMnist;
import org.diffusion4j.experiments.data.ImageDataset;
import org.diffusion4j.experiments.eval.ClassifierFeatures;
import org.diffusion4j.experiments.eval.ClassifierWeights;
import org.diffusion4j.experiments.eval.ImageToImageTable;
import org.diffusion4j.tensor.Backend;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The scores table of d4j inpaint and d4j upscale: the method and its baselines, scored by one code path. */
final class ImageToImageReport {
    private ImageToImageReport() { }

    /**
     * @param withFd whether to add FD-FMNIST and KID against the test split (loads the feature network and the split)
     * @param sets   the image sets by name; `order` gives the rows' order (a null set is left out)
     */
    static ImageToImageTable table(boolean withFd, ScoringOptions scoring, Backend backend, long seed, double[][] originals,
                                   int c, int h, int w, Map<String, double[][]> sets, List<String> order) throws IOException {
        ClassifierFeatures.Output reference = null;
        ClassifierWeights.Loaded net = null;
        if (withFd) {
            if (c != 1 || h != 28 || w != 28) throw new IllegalArgumentException("--fd scores Fashion-MNIST images [1, 28, 28]; "
                    + "these are [" + c + ", " + h + ", " + w + "]");
            if (originals.length < 4) throw new IllegalArgumentException("--fd needs at least 4 images (FD and KID are "
                    + "statistics of a set; 1,000 or more make them meaningful), got " + originals.length);
            net = scoring.featureNetwork(backend);
            ImageDataset test = FashionMnist.load(scoring.dataFolder(), FashionMnist.Split.TEST, scoring.anySize);
            reference = ClassifierFeatures.of(net.model(), test, backend);
        }
        ClassifierWeights.Loaded features = net;
        ImageToImageTable table = new ImageToImageTable();
        for (String name : order) {
            double[][] images = sets.get(name);
            if (images == null) continue;
            table.add(name, originals, images, c, h, w, reference,
                    imgs -> ClassifierFeatures.of(features.model(), imgs, backend), seed, scoring.prRows, scoring.kidSubsets);
        }
        return table;
    }
}
