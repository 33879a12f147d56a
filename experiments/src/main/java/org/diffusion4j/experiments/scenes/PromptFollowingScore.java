package org.diffusion4j.experiments.scenes;

import org.diffusion4j.experiments.eval.ClassifierFeatures;
import org.diffusion4j.experiments.eval.ClassifierWeights;
import org.diffusion4j.experiments.eval.FmnistClassifier;
import org.diffusion4j.tensor.Backend;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether generated canvases show what their prompts asked for. For each asked item:
 *
 * <ul>
 *   <li><b>class</b>: the box where the spec places the item is cut out, its brightness undone and grown to 28x28
 *       ({@link SceneCanvas#crop28}), and classified by the committed Fashion-MNIST classifier; a box with less ink
 *       than a blob needs ({@link InkBlobs#MIN_MASS}) counts as no item, so wrong;</li>
 *   <li><b>position</b>: right when some ink blob ({@link InkBlobs}) has its centre of mass nearer the asked
 *       position's cell centre than any other position's;</li>
 *   <li><b>size</b> and <b>brightness</b>: read from the blob whose centre of mass is nearest the asked cell's centre:
 *       LARGE when its bounding box spans at least {@link #LARGE_EXTENT} pixels (boxes are 14 and 10), LIGHT when
 *       the 95th percentile of its intensities exceeds {@link #LIGHT_LEVEL} (drawn at 1 and 0.45);</li>
 * </ul>
 * and per scene, <b>count</b>: the number of blobs equals the number of items asked. Accuracies are reported for
 * scenes of seen and of {@link HeldOutCombinations held-out} combinations separately, and for all.
 */
public final class PromptFollowingScore {
    /** Bounding-box span (pixels) from which a blob reads as LARGE. */
    public static final int LARGE_EXTENT = 12;
    /** 95th-percentile intensity above which a blob reads as LIGHT. */
    public static final double LIGHT_LEVEL = 0.72;

    /** What was found for one asked item; null/-1 where nothing was found. */
    public record ItemReading(SceneItem asked, int foundClass, boolean foundAtPosition, Size foundSize, Brightness foundBrightness) {
        public boolean classRight() { return foundClass == asked.fashionClass(); }

        public boolean sizeRight() { return foundSize == asked.size(); }

        public boolean brightnessRight() { return foundBrightness == asked.brightness(); }

        public boolean allRight() { return classRight() && foundAtPosition && sizeRight() && brightnessRight(); }
    }

    /** What was found on one canvas for its spec. */
    public record SceneReading(SceneSpec asked, boolean heldOut, int foundCount, List<ItemReading> items) {
        public boolean countRight() { return foundCount == asked.count(); }

        public boolean allRight() { return countRight() && items.stream().allMatch(ItemReading::allRight); }
    }

    /** Accuracies over a set of scenes (NaN when the set is empty); item accuracies are per asked item. */
    public record Accuracy(int scenes, int items, double classAccuracy, double positionAccuracy, double sizeAccuracy,
                           double brightnessAccuracy, double countAccuracy, double sceneAccuracy) {
        static Accuracy of(List<SceneReading> readings) {
            int items = 0, cls = 0, pos = 0, size = 0, bright = 0, count = 0, all = 0;
            for (SceneReading r : readings) {
                if (r.countRight()) count++;
                if (r.allRight()) all++;
                for (ItemReading it : r.items()) {
                    items++;
                    if (it.classRight()) cls++;
                    if (it.foundAtPosition()) pos++;
                    if (it.sizeRight()) size++;
                    if (it.brightnessRight()) bright++;
                }
            }
            int n = readings.size();
            return new Accuracy(n, items, share(cls, items), share(pos, items), share(size, items), share(bright, items),
                    share(count, n), share(all, n));
        }

        private static double share(int k, int n) { return n == 0 ? Double.NaN : k / (double) n; }

        @Override public String toString() {
            return String.format(java.util.Locale.ROOT, "%d scenes, %d items: class %.3f, position %.3f, size %.3f, "
                    + "brightness %.3f, count %.3f, all right %.3f", scenes, items, classAccuracy, positionAccuracy,
                    sizeAccuracy, brightnessAccuracy, countAccuracy, sceneAccuracy);
        }
    }

    /** The accuracies of seen and held-out scenes, and of all together. */
    public record Report(Accuracy seen, Accuracy heldOut, Accuracy all) { }

    private final FmnistClassifier classifier;
    private final Backend backend;

    public PromptFollowingScore(FmnistClassifier classifier, Backend backend) {
        this.classifier = classifier;
        this.backend = backend;
    }

    /** The score with the committed Fashion-MNIST classifier ({@link ClassifierWeights#committed}). */
    public static PromptFollowingScore committed(Backend backend) {
        return new PromptFollowingScore(ClassifierWeights.committed(backend).model(), backend);
    }

    /** Scores canvases [N, 1, 32, 32] (flattened row-major, values in [-1, 1]) against their N specs. */
    public Report score(float[] canvases, List<SceneSpec> specs) { return summarise(read(canvases, specs)); }

    /** Per-scene readings of canvases [N, 1, 32, 32] against their N specs. */
    public List<SceneReading> read(float[] canvases, List<SceneSpec> specs) {
        List<float[]> rows = rows(canvases, specs.size());
        List<double[]> crops = new ArrayList<>();
        List<int[]> cropOf = new ArrayList<>();   // (scene, item) of each crop sent to the classifier
        for (int s = 0; s < rows.size(); s++) {
            for (int k = 0; k < specs.get(s).count(); k++) {
                SceneItem it = specs.get(s).item(k);
                if (boxInk(rows.get(s), it) < InkBlobs.MIN_MASS) continue;
                crops.add(SceneCanvas.crop28(rows.get(s), it));
                cropOf.add(new int[]{s, k});
            }
        }
        int[][] classes = new int[rows.size()][2];
        for (int[] c : classes) java.util.Arrays.fill(c, -1);
        if (!crops.isEmpty()) {
            int[] predicted = ClassifierFeatures.of(classifier, crops.toArray(double[][]::new), backend).predictions();
            for (int i = 0; i < predicted.length; i++) classes[cropOf.get(i)[0]][cropOf.get(i)[1]] = predicted[i];
        }
        List<SceneReading> out = new ArrayList<>(rows.size());
        for (int s = 0; s < rows.size(); s++) out.add(readScene(rows.get(s), specs.get(s), classes[s]));
        return out;
    }

    /** The accuracies of readings, seen and held-out apart. */
    public static Report summarise(List<SceneReading> readings) {
        return new Report(Accuracy.of(readings.stream().filter(r -> !r.heldOut()).toList()),
                Accuracy.of(readings.stream().filter(SceneReading::heldOut).toList()), Accuracy.of(readings));
    }

    /**
     * The 28x28 crops (values in [-1, 1]) of every asked item, scene after scene, as the classifier sees them:
     * what FD-FMNIST of the crops is computed on.
     */
    public static double[][] crops(float[] canvases, List<SceneSpec> specs) {
        List<float[]> rows = rows(canvases, specs.size());
        List<double[]> out = new ArrayList<>();
        for (int s = 0; s < rows.size(); s++) for (SceneItem it : specs.get(s).items()) out.add(SceneCanvas.crop28(rows.get(s), it));
        return out.toArray(double[][]::new);
    }

    private static SceneReading readScene(float[] canvas, SceneSpec spec, int[] classes) {
        List<InkBlobs.Blob> blobs = InkBlobs.find(canvas);
        List<ItemReading> items = new ArrayList<>();
        for (int k = 0; k < spec.count(); k++) {
            SceneItem it = spec.item(k);
            boolean atPosition = blobs.stream().anyMatch(b -> b.nearestPosition() == it.pos());
            InkBlobs.Blob nearest = null;
            for (InkBlobs.Blob b : blobs) if (nearest == null || b.distanceTo(it.pos()) < nearest.distanceTo(it.pos())) nearest = b;
            Size size = nearest == null ? null : nearest.extent() >= LARGE_EXTENT ? Size.LARGE : Size.SMALL;
            Brightness bright = nearest == null ? null : nearest.brightLevel() > LIGHT_LEVEL ? Brightness.LIGHT : Brightness.DARK;
            items.add(new ItemReading(it, classes[k], atPosition, size, bright));
        }
        return new SceneReading(spec, HeldOutCombinations.isHeldOut(spec), blobs.size(), items);
    }

    private static double boxInk(float[] canvas, SceneItem it) {
        int side = SceneLayout.side(it.size()), x0 = SceneLayout.boxX(it), y0 = SceneLayout.boxY(it);
        double ink = 0;
        for (int y = y0; y < y0 + side; y++) {
            for (int x = x0; x < x0 + side; x++) {
                double u = SceneCanvas.intensity(canvas[y * SceneLayout.CANVAS + x]);
                if (u > InkBlobs.MASK) ink += u;
            }
        }
        return ink;
    }

    /** Splits [N, 1, 32, 32] into N canvases, refusing a wrong length or a value that is not finite. */
    private static List<float[]> rows(float[] canvases, int n) {
        if (n <= 0) throw new IllegalArgumentException("no scenes to score: the spec list is empty");
        if (canvases == null || canvases.length != n * SceneCanvas.PIXELS) throw new IllegalArgumentException("canvases hold "
                + (canvases == null ? "nothing" : canvases.length + " values") + ", expected " + n + " x 1x32x32 = "
                + n * SceneCanvas.PIXELS + " for " + n + " specs");
        List<float[]> out = new ArrayList<>(n);
        for (int s = 0; s < n; s++) {
            float[] row = java.util.Arrays.copyOfRange(canvases, s * SceneCanvas.PIXELS, (s + 1) * SceneCanvas.PIXELS);
            for (int i = 0; i < row.length; i++) if (!Float.isFinite(row[i])) throw new IllegalArgumentException("canvas " + s
                    + " has the value " + row[i] + " at pixel " + i + "; canvases must be finite, in [-1, 1]");
            out.add(row);
        }
        return out;
    }
}
