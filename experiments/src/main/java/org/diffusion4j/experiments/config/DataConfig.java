package org.diffusion4j.experiments.config;

/**
 * What to train on.
 *
 * @param dataset one of {@link #DATASETS}
 * @param flip    random horizontal flips of images (Fashion-MNIST only)
 * @param folder  where the Fashion-MNIST IDX files are; empty means the Debian package's folder. For spoken-digits:
 *                the folder `d4j data spoken-digits` made; empty means its default for seed 0
 * @param anySize accept Fashion-MNIST files whose count differs from the official 60,000 / 10,000 (a subset or
 *                custom data); false refuses such files as truncated
 * @param scenes  captioned-scenes: how many training scenes are generated (from the run's seed)
 */
public record DataConfig(String dataset, Boolean flip, String folder, Boolean anySize, Integer scenes) {
    public static final java.util.List<String> DATASETS =
            java.util.List.of("fashion-mnist", "swiss-roll", "two-moons", "8gaussians", "checkerboard", "25gaussians", "spoken-digits",
                    "captioned-scenes");

    public DataConfig {
        if (dataset == null) dataset = "swiss-roll";
        if (flip == null) flip = false;
        if (folder == null) folder = "";
        if (anySize == null) anySize = false;
        if (scenes == null) scenes = 60_000;
    }

    public static DataConfig defaults() { return new DataConfig(null, null, null, null, null); }

    /** True for the image dataset, false for the 2-D toy sets. */
    public boolean holdsImages() { return dataset.equals("fashion-mnist"); }

    /** True for the spoken digits (waveforms [1, 8000], labelled 0..9). */
    public boolean holdsAudio() { return dataset.equals("spoken-digits"); }

    /** True for the captioned scenes (32x32 canvases of Fashion-MNIST items, with captions; docs/text-to-image.md). */
    public boolean holdsScenes() { return dataset.equals("captioned-scenes"); }
}
