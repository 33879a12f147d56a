package org.diffusion4j.experiments.scenes;

import org.diffusion4j.experiments.data.FashionMnist;
import org.diffusion4j.experiments.data.ImageDataset;
import org.diffusion4j.tensor.SeedMixing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Captioned scenes made on the fly from a seed: scene i is a 32x32 canvas holding one or two Fashion-MNIST items
 * (from the training images for {@link Split#TRAIN}, the test images for {@link Split#TEST}), its caption and its
 * structured content. Scene i is a pure function of (seed, split, combinations, i) and the source images: its
 * draws come from Philox stream i under a key mixed from the seed and the split's name.
 *
 * <p>Drawing scene i: one item or two with equal odds; each item's class, size and brightness uniform, a lone
 * item's position uniform over the five, a pair LEFT/RIGHT or TOP/BOTTOM with equal odds; a scene whose
 * {@link HeldOutCombinations held-out} status differs from the requested {@link Combinations} is drawn again
 * (the next draws of the same stream). Then a source image of each item's class, uniform among the split's
 * images of that class, and a caption ({@link CaptionWriter}).
 */
public final class CaptionedScenes {
    /** Which Fashion-MNIST images the items come from. */
    public enum Split {
        TRAIN, TEST;

        public FashionMnist.Split source() { return this == TRAIN ? FashionMnist.Split.TRAIN : FashionMnist.Split.TEST; }

        /** "train" or "test" (any case). */
        public static Split parse(String name) {
            for (Split s : values()) if (s.name().equalsIgnoreCase(name == null ? "" : name.trim())) return s;
            throw new IllegalArgumentException("unknown scene split '" + name + "', expected train or test");
        }
    }

    /** Whether scenes avoid or hold the {@link HeldOutCombinations}. */
    public enum Combinations { SEEN, HELD_OUT }

    /** One scene: canvas float[1 * 32 * 32] in [-1, 1], its caption, its content, the caption's template and the source image indices. */
    public record Scene(int index, float[] canvas, String caption, SceneSpec spec, CaptionWriter.Template template, int[] sourceItems) { }

    private static final int MAX_DRAWS = 10_000;

    private final ImageDataset items;
    private final Split split;
    private final Combinations combinations;
    private final long seed, key;
    private final int count;
    private final int[][] byClass;

    /**
     * count scenes of items (Fashion-MNIST images of the split: 1x28x28, every class present). The training split
     * holds seen combinations only.
     */
    public CaptionedScenes(ImageDataset items, Split split, Combinations combinations, long seed, int count) {
        if (split == null || combinations == null) throw new IllegalArgumentException("a split and the combinations must be given");
        if (count <= 0) throw new IllegalArgumentException("scene count must be positive, got " + count);
        if (split == Split.TRAIN && combinations == Combinations.HELD_OUT) throw new IllegalArgumentException(
                "the held-out combinations never appear in the training split; ask for Split.TEST with Combinations.HELD_OUT");
        if (items.channels() != 1 || items.height() != 28 || items.width() != 28) throw new IllegalArgumentException(
                "scene items must be 1x28x28 Fashion-MNIST images, got " + items.channels() + "x" + items.height() + "x" + items.width());
        this.items = items;
        this.split = split;
        this.combinations = combinations;
        this.seed = seed;
        this.count = count;
        this.key = SeedMixing.key(seed, "captioned-scenes/" + split.name().toLowerCase(Locale.ROOT) + "/"
                + combinations.name().toLowerCase(Locale.ROOT));
        this.byClass = indicesByClass(items);
    }

    /** count scenes of the split's Fashion-MNIST images, read from folder (null: {@link FashionMnist#folder}'s default). */
    public static CaptionedScenes load(Path folder, Split split, Combinations combinations, long seed, int count) throws IOException {
        if (split == null) throw new IllegalArgumentException("a split must be given (TRAIN or TEST)");
        return new CaptionedScenes(FashionMnist.load(FashionMnist.folder(folder), split.source()), split, combinations, seed, count);
    }

    public int size() { return count; }

    public Split split() { return split; }

    public Combinations combinations() { return combinations; }

    public long seed() { return seed; }

    /** Scene i (0 &lt;= i &lt; size()). */
    public Scene scene(int index) { return make(index, true); }

    /** Scene i's caption alone (the canvas is not drawn; the caption is the one {@link #scene} gives). */
    public String caption(int index) { return make(index, false).caption(); }

    /** Scene i's content alone. */
    public SceneSpec spec(int index) { return make(index, false).spec(); }

    private Scene make(int index, boolean drawCanvas) {
        if (index < 0 || index >= count) throw new IllegalArgumentException("scene index " + index + " is outside 0.." + (count - 1));
        SceneRandom r = new SceneRandom(key, index);
        SceneSpec spec = drawSpec(r);
        int[] sources = new int[spec.count()];
        for (int k = 0; k < sources.length; k++) {
            int[] pool = byClass[spec.item(k).fashionClass()];
            sources[k] = pool[r.below(pool.length)];
        }
        CaptionWriter.Caption caption = CaptionWriter.write(spec, r);
        float[] canvas = null;
        if (drawCanvas) {
            double[][] images = new double[sources.length][];
            for (int k = 0; k < sources.length; k++) images[k] = items.image(sources[k]);
            canvas = SceneCanvas.draw(spec, images);
        }
        return new Scene(index, canvas, caption.text(), spec, caption.template(), sources);
    }

    /** Scenes from, from + 1, ..., from + n - 1. */
    public List<Scene> scenes(int from, int n) {
        List<Scene> out = new ArrayList<>(n);
        for (int i = from; i < from + n; i++) out.add(scene(i));
        return out;
    }

    /** The canvases of the given scenes, [indices.length, 1, 32, 32] flattened row-major (drawn on all cores). */
    public float[] canvases(int[] indices) {
        float[] out = new float[indices.length * SceneCanvas.PIXELS];
        // scenes are independent, so drawing them in parallel gives the same bits as one after another
        java.util.stream.IntStream.range(0, indices.length).parallel().forEach(k ->
                System.arraycopy(scene(indices[k]).canvas(), 0, out, k * SceneCanvas.PIXELS, SceneCanvas.PIXELS));
        return out;
    }

    /** Every scene's caption, in index order (what a tokenizer is built from). */
    public List<String> captions() {
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(caption(i));
        return out;
    }

    private SceneSpec drawSpec(SceneRandom r) {
        boolean wantHeldOut = combinations == Combinations.HELD_OUT;
        for (int draw = 0; draw < MAX_DRAWS; draw++) {
            SceneSpec s = randomSpec(r);
            if (HeldOutCombinations.isHeldOut(s) == wantHeldOut) return s;
        }
        throw new IllegalStateException("no " + combinations + " scene in " + MAX_DRAWS + " draws");
    }

    private static SceneSpec randomSpec(SceneRandom r) {
        if (r.coin()) return SceneSpec.of(randomItem(r, r.pick(Position.values())));
        boolean sideBySide = r.coin();
        return SceneSpec.of(randomItem(r, sideBySide ? Position.LEFT : Position.TOP),
                randomItem(r, sideBySide ? Position.RIGHT : Position.BOTTOM));
    }

    private static SceneItem randomItem(SceneRandom r, Position pos) {
        return new SceneItem(r.below(10), r.pick(Size.values()), pos, r.pick(Brightness.values()));
    }

    private static int[][] indicesByClass(ImageDataset items) {
        int[] counts = new int[10];
        for (int i = 0; i < items.size(); i++) {
            int l = items.label(i);
            if (l < 0 || l > 9) throw new IllegalArgumentException("scene source image " + i + " has label " + l + ", expected 0..9");
            counts[l]++;
        }
        int[][] out = new int[10][];
        for (int c = 0; c < 10; c++) {
            if (counts[c] == 0) throw new IllegalArgumentException("class " + c + " (" + FashionMnist.CLASS_NAMES[c]
                    + ") has no image among the " + items.size() + " scene source images");
            out[c] = new int[counts[c]];
        }
        int[] fill = new int[10];
        for (int i = 0; i < items.size(); i++) out[items.label(i)][fill[items.label(i)]++] = i;
        return out;
    }

    @Override public String toString() {
        return "CaptionedScenes(" + split + ", " + combinations + ", seed " + seed + ", " + count + " scenes, "
                + Arrays.stream(byClass).mapToInt(a -> a.length).sum() + " source images)";
    }
}
