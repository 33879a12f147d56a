package org.diffusion4j.experiments.inpaint;

import org.diffusion4j.experiments.io.ImageGrid;
import org.diffusion4j.experiments.metrics.ImageQuality;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How well inpainted images match their originals: mean PSNR and SSIM over the images (data range 2 for [-1, 1];
 * SSIM per channel, averaged), for the results and for the nearest-neighbour fill baseline, and the largest change of
 * a known pixel (0 for the replacement method).
 */
public record InpaintScores(double psnr, double ssim, double baselinePsnr, double baselineSsim, double knownMaxChange) {

    public static InpaintScores of(double[][] originals, double[] mask, double[][] results, int c, int h, int w) {
        double psnr = 0, ssim = 0, bp = 0, bs = 0, change = 0;
        int n = originals.length;
        for (int i = 0; i < n; i++) {
            double[] base = NearestFill.fill(originals[i], mask, c, h, w);
            psnr += ImageQuality.psnr(originals[i], results[i], 2.0);
            bp += ImageQuality.psnr(originals[i], base, 2.0);
            ssim += ssim(originals[i], results[i], c, h, w);
            bs += ssim(originals[i], base, c, h, w);
            for (int j = 0; j < mask.length; j++) if (mask[j] == 1) change = Math.max(change, Math.abs(results[i][j] - originals[i][j]));
        }
        return new InpaintScores(psnr / n, ssim / n, bp / n, bs / n, change);
    }

    private static double ssim(double[] x, double[] y, int c, int h, int w) {
        double s = 0;
        for (int ch = 0; ch < c; ch++) {
            s += ImageQuality.ssim(java.util.Arrays.copyOfRange(x, ch * h * w, (ch + 1) * h * w),
                    java.util.Arrays.copyOfRange(y, ch * h * w, (ch + 1) * h * w), h, w, 2.0);
        }
        return s / c;
    }

    public String summary() {
        return String.format(Locale.ROOT, "PSNR %.2f dB, SSIM %.4f (nearest-neighbour fill: PSNR %.2f dB, SSIM %.4f); "
                + "largest change of a known pixel %.3g", psnr, ssim, baselinePsnr, baselineSsim, knownMaxChange);
    }

    /**
     * Rows of up to `columns` images: the originals, then the masked images (unknown pixels grey), then the results,
     * repeated for each group of `columns`.
     */
    public static BufferedImage grid(double[][] originals, double[] mask, double[][] results, int c, int h, int w, int columns) {
        int n = originals.length, cols = Math.min(columns, n);
        List<double[]> cells = new ArrayList<>();
        for (int from = 0; from < n; from += cols) {
            for (int row = 0; row < 3; row++) {
                for (int k = 0; k < cols; k++) {
                    int i = from + k;
                    if (i >= n) { cells.add(new double[c * h * w]); continue; }
                    double[] img = row == 0 ? originals[i] : row == 2 ? results[i] : masked(originals[i], mask);
                    cells.add(img);
                }
            }
        }
        return ImageGrid.render(cells.toArray(new double[0][]), c, h, w, cols);
    }

    private static double[] masked(double[] image, double[] mask) {
        double[] m = image.clone();
        for (int j = 0; j < m.length; j++) if (mask[j] == 0) m[j] = 0;
        return m;
    }
}
