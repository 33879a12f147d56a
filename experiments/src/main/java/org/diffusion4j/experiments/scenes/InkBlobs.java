package org.diffusion4j.experiments.scenes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The separate items visible on a canvas, found from ink alone: pixels of intensity above {@link #MASK} joined
 * 8-connected into pieces, pieces whose bounding boxes come within one pixel of each other merged (a sandal's
 * straps are one item), and pieces with less ink than {@link #MIN_MASS} or {@link #MIN_SHARE} of the canvas's
 * ink dropped as specks. Two items drawn by {@link SceneCanvas} are at least two background pixels apart, so
 * on a drawn canvas each item is one blob.
 */
final class InkBlobs {
    /** Intensity above which a pixel is ink. */
    static final double MASK = 0.06;
    /** A blob needs at least this much ink (sum of intensities) ... */
    static final double MIN_MASS = 3.0;
    /** ... and at least this share of the canvas's ink. */
    static final double MIN_SHARE = 0.05;

    /** One blob: its ink, centre of mass, bounding box (inclusive) and the 95th percentile of its intensities (the level drawing normalises to). */
    record Blob(double mass, double comX, double comY, int x0, int y0, int x1, int y1, double brightLevel) {
        int extent() { return Math.max(x1 - x0 + 1, y1 - y0 + 1); }

        /** The position whose cell centre is nearest the centre of mass. */
        Position nearestPosition() {
            Position best = null;
            double bestD = Double.POSITIVE_INFINITY;
            for (Position p : Position.values()) {
                double d = distanceTo(p);
                if (d < bestD) { bestD = d; best = p; }
            }
            return best;
        }

        double distanceTo(Position p) {
            double[] c = SceneLayout.centre(p);
            return Math.hypot(comX - c[0], comY - c[1]);
        }
    }

    private InkBlobs() { }

    static List<Blob> find(float[] canvas) {
        int n = SceneLayout.CANVAS;
        double[] u = new double[n * n];
        double total = 0;
        for (int i = 0; i < u.length; i++) {
            u[i] = SceneCanvas.intensity(canvas[i]);
            if (u[i] > MASK) total += u[i];
        }
        int[] label = new int[n * n];
        Arrays.fill(label, -1);
        List<int[]> boxes = new ArrayList<>();   // per piece: x0, y0, x1, y1
        int[] queue = new int[n * n];
        for (int start = 0; start < u.length; start++) {
            if (u[start] <= MASK || label[start] >= 0) continue;
            int id = boxes.size(), head = 0, tail = 0;
            int[] box = {n, n, -1, -1};
            label[start] = id;
            queue[tail++] = start;
            while (head < tail) {
                int p = queue[head++], px = p % n, py = p / n;
                box[0] = Math.min(box[0], px); box[1] = Math.min(box[1], py);
                box[2] = Math.max(box[2], px); box[3] = Math.max(box[3], py);
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int qx = px + dx, qy = py + dy;
                        if (qx < 0 || qy < 0 || qx >= n || qy >= n) continue;
                        int q = qy * n + qx;
                        if (u[q] > MASK && label[q] < 0) { label[q] = id; queue[tail++] = q; }
                    }
                }
            }
            boxes.add(box);
        }
        int[] group = mergeNearBoxes(boxes);
        List<Blob> out = new ArrayList<>();
        for (int g : Arrays.stream(group).distinct().toArray()) {
            double mass = 0, sx = 0, sy = 0;
            int x0 = n, y0 = n, x1 = -1, y1 = -1;
            List<Double> values = new ArrayList<>();
            for (int p = 0; p < u.length; p++) {
                if (label[p] < 0 || group[label[p]] != g) continue;
                int px = p % n, py = p / n;
                mass += u[p];
                sx += u[p] * (px + 0.5);
                sy += u[p] * (py + 0.5);
                x0 = Math.min(x0, px); y0 = Math.min(y0, py); x1 = Math.max(x1, px); y1 = Math.max(y1, py);
                values.add(u[p]);
            }
            if (mass < MIN_MASS || mass < MIN_SHARE * total) continue;
            double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double level = v[Math.min(v.length - 1, (int) Math.ceil(SceneCanvas.NORMALISING_QUANTILE * v.length) - 1)];
            out.add(new Blob(mass, sx / mass, sy / mass, x0, y0, x1, y1, level));
        }
        return out;
    }

    /** Groups of pieces, closed under "bounding boxes grown by one pixel overlap": group[i] is piece i's group. */
    private static int[] mergeNearBoxes(List<int[]> boxes) {
        int m = boxes.size();
        int[] group = new int[m];
        for (int i = 0; i < m; i++) group[i] = i;
        int[][] merged = boxes.stream().map(int[]::clone).toArray(int[][]::new);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < m; i++) {
                for (int j = i + 1; j < m; j++) {
                    if (group[i] == i && group[j] == j && near(merged[i], merged[j])) {
                        int[] a = merged[i], b = merged[j];
                        a[0] = Math.min(a[0], b[0]); a[1] = Math.min(a[1], b[1]);
                        a[2] = Math.max(a[2], b[2]); a[3] = Math.max(a[3], b[3]);
                        for (int k = 0; k < m; k++) if (group[k] == j) group[k] = i;
                        changed = true;
                    }
                }
            }
        }
        return group;
    }

    private static boolean near(int[] a, int[] b) {
        return a[0] - 1 <= b[2] && b[0] <= a[2] + 1 && a[1] - 1 <= b[3] && b[1] <= a[3] + 1;
    }
}
