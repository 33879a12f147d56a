package org.diffusion4j.experiments.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fashion-MNIST (Xiao, Rasul &amp; Vollgraf 2017): 60,000 training and 10,000 test images of 28x28 grey
 * garments in 10 classes. Read from IDX files; nothing is downloaded.
 *
 * <p>Folder, in order: an explicit one ({@code --data DIR}), the environment variable {@code D4J_DATA}
 * (either the folder itself or a parent holding {@code fashion-mnist/}), then
 * {@code /usr/share/datasets/fashion-mnist} from Debian's package {@code dataset-fashion-mnist}.
 */
public final class FashionMnist {
    public static final Path DEBIAN_FOLDER = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String[] CLASS_NAMES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot"};

    public enum Split {
        TRAIN("train-images-idx3-ubyte", "train-labels-idx1-ubyte", 60000),
        TEST("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 10000);

        final String images, labels;
        final int expectedCount;

        Split(String images, String labels, int expectedCount) {
            this.images = images;
            this.labels = labels;
            this.expectedCount = expectedCount;
        }
    }

    private FashionMnist() { }

    /** Resolves the data folder as described in the class comment (explicit may be null). */
    public static Path folder(Path explicit) {
        if (explicit != null) return explicit;
        String env = System.getenv("D4J_DATA");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            return Files.isDirectory(p.resolve("fashion-mnist")) ? p.resolve("fashion-mnist") : p;
        }
        return DEBIAN_FOLDER;
    }

    /** Loads one split from folder, checking that images and labels agree and that the split has its official size. */
    public static ImageDataset load(Path folder, Split split) throws IOException { return load(folder, split, false); }

    /**
     * Loads one split from folder, checking that images and labels agree; anySize accepts a split whose count
     * differs from the official 60,000 / 10,000 (a subset or custom data in the same format), otherwise such a
     * split (a truncated or wrong file) is refused.
     */
    public static ImageDataset load(Path folder, Split split, boolean anySize) throws IOException {
        Path images = find(folder, split.images), labels = find(folder, split.labels);
        IdxReader.Images img = IdxReader.readImages(images);
        int[] lab = IdxReader.readLabels(labels);
        if (!anySize && img.count() != split.expectedCount) throw new IdxFormatException(images, img.count()
                + " images; the Fashion-MNIST " + split.name().toLowerCase(java.util.Locale.ROOT) + " split has "
                + split.expectedCount + " (for a subset or custom data set data.anySize: true in a config, or pass --any-size)");
        if (img.count() != lab.length) throw new IdxFormatException(labels, lab.length + " labels for " + img.count()
                + " images in " + images);
        if (img.rows() != 28 || img.cols() != 28) throw new IdxFormatException(images, "Fashion-MNIST images are 28x28, this file has "
                + img.rows() + "x" + img.cols());
        for (int l : lab) if (l > 9) throw new IdxFormatException(labels, "label " + l + " is outside the 10 classes 0..9");
        return new ImageDataset(img.pixels(), lab, 1, img.rows(), img.cols(), 10);
    }

    private static Path find(Path folder, String base) throws IOException {
        for (String name : new String[]{base + ".gz", base, base.replace("-idx", ".idx") + ".gz", base.replace("-idx", ".idx")}) {
            Path p = folder.resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        throw new java.io.FileNotFoundException("Fashion-MNIST file " + base + "(.gz) not found in " + folder
                + ". Install it with: sudo apt-get install dataset-fashion-mnist (files land in " + DEBIAN_FOLDER
                + "), or point --data / D4J_DATA at a folder holding the IDX files.");
    }
}
