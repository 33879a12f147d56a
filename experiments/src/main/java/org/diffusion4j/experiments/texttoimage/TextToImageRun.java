package org.diffusion4j.experiments.texttoimage;

import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.diffusion.net.TokenIds;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.scenes.CaptionedScenes;
import org.diffusion4j.experiments.scenes.WordTokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a text-to-image run (model.type text-unet on data.dataset captioned-scenes) holds besides what every run
 * holds: its tokenizer (tokenizer.json, built from the training captions when the run starts, read back when it is
 * resumed or sampled), its training scenes, and the prompts its sample grids are drawn for.
 */
public final class TextToImageRun {
    /** The file the run's tokenizer lives in. */
    public static final String TOKENIZER = "tokenizer.json";

    private TextToImageRun() { }

    /** Whether the run folder's config is a text-to-image run. */
    public static boolean isTextToImage(TrainConfig config) { return config.model().textConditional(); }

    /** The data.scenes training scenes of the config's seed (seen combinations only). */
    public static CaptionedScenes trainingScenes(TrainConfig config) {
        return scenes(config, CaptionedScenes.Split.TRAIN, CaptionedScenes.Combinations.SEEN, config.data().scenes());
    }

    /** count scenes of the test split (items the training never saw), seen or held-out combinations. */
    public static CaptionedScenes scenes(TrainConfig config, CaptionedScenes.Split split, CaptionedScenes.Combinations combinations, int count) {
        Path folder = config.data().folder().isEmpty() ? null : Path.of(config.data().folder());
        try {
            return CaptionedScenes.load(folder, split, combinations, config.seed(), count);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read Fashion-MNIST for the captioned scenes: " + e.getMessage(), e);
        }
    }

    /**
     * The run's tokenizer: read from runRoot/tokenizer.json when it is there (a resumed run), else built from the
     * training captions and written there.
     */
    public static WordCaptionTokenizer tokenizer(Path runRoot, SceneCaptions training) {
        Path file = runRoot.resolve(TOKENIZER);
        try {
            if (Files.exists(file)) return new WordCaptionTokenizer(WordTokenizer.load(file));
            WordTokenizer built = WordTokenizer.build(training.captions());
            built.save(file);
            return new WordCaptionTokenizer(built);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the run's tokenizer " + file + ": " + e.getMessage(), e);
        }
    }

    /** The tokenizer a finished run saved (for sampling). */
    public static WordCaptionTokenizer savedTokenizer(Path runRoot) {
        Path file = runRoot.resolve(TOKENIZER);
        if (!Files.exists(file)) throw new IllegalStateException("run " + runRoot + " is a text-to-image run but has no "
                + TOKENIZER + " (it is written when training starts)");
        try {
            return new WordCaptionTokenizer(WordTokenizer.load(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the run's tokenizer " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The prompts of the run's sample grids: the captions of the first count training scenes (so every word is in the
     * tokenizer, however few scenes a run has; the grid shows what the model draws for them from fresh noise).
     */
    public static List<String> samplingPrompts(SceneCaptions training, int count) {
        List<String> out = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(training.caption(i % training.size()));
        return out;
    }

    /** The prompts as token ids [prompts, captionLength], each prompt repeated perPrompt times in a row. */
    public static Conditioning condition(List<String> prompts, int perPrompt, WordCaptionTokenizer tokenizer, int captionLength) {
        if (prompts.isEmpty()) throw new IllegalArgumentException("no prompts given");
        int n = prompts.size() * perPrompt;
        int[] ids = new int[n * captionLength];
        for (int p = 0; p < prompts.size(); p++) {
            int[] row = tokenizer.encode(prompts.get(p), captionLength);
            for (int k = 0; k < perPrompt; k++) System.arraycopy(row, 0, ids, (p * perPrompt + k) * captionLength, captionLength);
        }
        return Conditioning.tokens(new TokenIds(ids, n, captionLength, tokenizer.pad()));
    }
}
