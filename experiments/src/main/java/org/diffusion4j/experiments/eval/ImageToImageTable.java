package org.diffusion4j.experiments.eval;

import org.diffusion4j.experiments.metrics.ImageQuality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One image-to-image setting scored the same way for the method and its baselines: mean PSNR and SSIM against the
 * originals (data range 2 for [-1, 1]; SSIM per channel, averaged) and, when reference features are given,
 * FD-FMNIST and KID of each set against the Fashion-MNIST test split on the committed classifier's features.
 * PSNR and SSIM reward closeness to the one original; FD rewards looking like real data: blurry fills score
 * well on the first and badly on the second, which is why both are reported.
 */
public final class ImageToImageTable {
    /** One scored set of images. fd and kid are NaN when no reference was given. */
    public record Row(String name, double psnr, double ssim, double fd, double kid, double kidStandardError) { }

    private final List<Row> rows = new ArrayList<>();

    /**
     * Scores `images` (one per original, same order) and adds the row.
     *
     * @param reference the test split's features, or null for PSNR and SSIM only
     * @param features  computes the feature network's outputs for a set of images (only called with a reference)
     */
    public Row add(String name, double[][] originals, double[][] images, int c, int h, int w,
                   ClassifierFeatures.Output reference, java.util.function.Function<double[][], ClassifierFeatures.Output> features,
                   long seed, int prRows, int kidSubsets) {
        if (images.length != originals.length) throw new IllegalArgumentException(name + ": " + images.length
                + " images for " + originals.length + " originals");
        double psnr = 0, ssim = 0;
        for (int i = 0; i < images.length; i++) {
            psnr += ImageQuality.psnr(originals[i], images[i], 2.0);
            ssim += meanSsim(originals[i], images[i], c, h, w);
        }
        double fd = Double.NaN, kid = Double.NaN, kidSe = Double.NaN;
        if (reference != null) {
            Metrics m = Metrics.compute(features.apply(clipped(images)), reference, seed, Math.min(prRows, images.length), kidSubsets);
            fd = m.fd();
            kid = m.kid();
            kidSe = m.kidStandardError();
        }
        Row row = new Row(name, psnr / images.length, ssim / images.length, fd, kid, kidSe);
        rows.add(row);
        return row;
    }

    public List<Row> rows() { return List.copyOf(rows); }

    /** SSIM per channel, averaged over the channels. */
    public static double meanSsim(double[] x, double[] y, int c, int h, int w) {
        double s = 0;
        for (int ch = 0; ch < c; ch++) {
            s += ImageQuality.ssim(Arrays.copyOfRange(x, ch * h * w, (ch + 1) * h * w),
                    Arrays.copyOfRange(y, ch * h * w, (ch + 1) * h * w), h, w, 2.0);
        }
        return s / c;
    }

    /** The feature network was trained on [-1, 1]; samples slightly outside are clipped as d4j eval --run does. */
    private static double[][] clipped(double[][] images) {
        double[][] out = new double[images.length][];
        for (int i = 0; i < images.length; i++) {
            out[i] = images[i].clone();
            for (int j = 0; j < out[i].length; j++) out[i][j] = Math.max(-1, Math.min(1, out[i][j]));
        }
        return out;
    }

    /** A markdown table, one line a row. */
    public String markdown() {
        StringBuilder sb = new StringBuilder("| set | PSNR (dB) | SSIM | FD-FMNIST | KID-FMNIST |\n| --- | --- | --- | --- | --- |\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.4f | %s | %s |%n", r.name(), r.psnr(), r.ssim(),
                    Double.isNaN(r.fd()) ? "-" : String.format(Locale.ROOT, "%.2f", r.fd()),
                    Double.isNaN(r.kid()) ? "-" : String.format(Locale.ROOT, "%.4f +- %.4f", r.kid(), r.kidStandardError())));
        }
        return sb.toString();
    }

    /** The rows by name, for JSON. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Row r : rows) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("psnr", r.psnr());
            v.put("ssim", r.ssim());
            if (!Double.isNaN(r.fd())) {
                v.put("fd_fmnist", r.fd());
                v.put("kid_fmnist", r.kid());
                v.put("kid_fmnist_se", r.kidStandardError());
            }
            m.put(r.name(), v);
        }
        return m;
    }
}
