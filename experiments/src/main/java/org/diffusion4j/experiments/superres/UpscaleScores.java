package org.diffusion4j.experiments.superres;

import org.diffusion4j.experiments.metrics.ImageQuality;

import java.util.Locale;

/**
 * Super-resolved images against their originals: mean PSNR (data range 2 for [-1, 1]) and SSIM (per channel,
 * averaged) of the results and of the two baselines computed the same way, nearest and bicubic upsampling of the
 * same area-downsampled input (bicubic clipped to [-1, 1]).
 */
public record UpscaleScores(double psnr, double ssim, double nearestPsnr, double nearestSsim, double bicubicPsnr, double bicubicSsim) {

    public static UpscaleScores of(double[][] originals, double[][] results, int c, int h, int w, int factor) {
        double[] s = new double[6];
        for (int i = 0; i < originals.length; i++) {
            double[] low = Bicubic.areaDownsample(originals[i], c, h, w, factor);
            double[] near = Bicubic.nearest(low, c, h / factor, w / factor, factor);
            double[] cubic = clamp(Bicubic.upsample(low, c, h / factor, w / factor, factor));
            double[][] cand = {results[i], near, cubic};
            for (int k = 0; k < 3; k++) {
                s[2 * k] += ImageQuality.psnr(originals[i], cand[k], 2.0);
                s[2 * k + 1] += ssim(originals[i], cand[k], c, h, w);
            }
        }
        int n = originals.length;
        return new UpscaleScores(s[0] / n, s[1] / n, s[2] / n, s[3] / n, s[4] / n, s[5] / n);
    }

    /** Bicubic overshoots; clipped to [-1, 1] as the data are (and as the images are shown). */
    static double[] clamp(double[] v) {
        double[] o = v.clone();
        for (int i = 0; i < o.length; i++) o[i] = Math.max(-1, Math.min(1, o[i]));
        return o;
    }

    static double ssim(double[] x, double[] y, int c, int h, int w) {
        double s = 0;
        for (int ch = 0; ch < c; ch++) {
            s += ImageQuality.ssim(java.util.Arrays.copyOfRange(x, ch * h * w, (ch + 1) * h * w),
                    java.util.Arrays.copyOfRange(y, ch * h * w, (ch + 1) * h * w), h, w, 2.0);
        }
        return s / c;
    }

    public String summary() {
        return String.format(Locale.ROOT, "PSNR %.2f dB, SSIM %.4f (nearest: PSNR %.2f dB, SSIM %.4f; bicubic: PSNR %.2f dB, SSIM %.4f)",
                psnr, ssim, nearestPsnr, nearestSsim, bicubicPsnr, bicubicSsim);
    }
}
