package org.diffusion4j.experiments.superres;

/**
 * Bicubic upsampling by an integer factor, the baseline super-resolution is compared with: Keys' cubic convolution
 * kernel with a = -0.5 (Keys 1981, eq. 15; PIL's choice), half-pixel centres (output pixel i samples the input at
 * (i + 0.5) / f - 0.5, PyTorch's align_corners=False), edge pixels repeated beyond the border. With a = -0.5 the
 * kernel reproduces polynomials up to degree 2 exactly away from the border.
 */
public final class Bicubic {
    private Bicubic() { }

    private static final double A = -0.5;

    /** Keys' kernel W(x). */
    static double kernel(double x) {
        double t = Math.abs(x);
        if (t <= 1) return ((A + 2) * t - (A + 3)) * t * t + 1;
        if (t < 2) return ((A * t - 5 * A) * t + 8 * A) * t - 4 * A;
        return 0;
    }

    /** C x h x w row-major values upsampled to C x (f h) x (f w). */
    public static double[] upsample(double[] image, int channels, int height, int width, int factor) {
        if (factor < 1) throw new IllegalArgumentException("upsampling factor must be >= 1, got " + factor);
        if (image.length != channels * height * width) throw new IllegalArgumentException("bicubic: " + image.length
                + " values do not make " + channels + "x" + height + "x" + width);
        int oh = height * factor, ow = width * factor;
        double[] out = new double[channels * oh * ow];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < oh; y++) {
                double sy = (y + 0.5) / factor - 0.5;
                int y0 = (int) Math.floor(sy);
                for (int x = 0; x < ow; x++) {
                    double sx = (x + 0.5) / factor - 0.5;
                    int x0 = (int) Math.floor(sx);
                    double v = 0;
                    for (int j = -1; j <= 2; j++) {
                        double wy = kernel(sy - (y0 + j));
                        int yy = Math.clamp(y0 + j, 0, height - 1);
                        for (int i = -1; i <= 2; i++) {
                            int xx = Math.clamp(x0 + i, 0, width - 1);
                            v += wy * kernel(sx - (x0 + i)) * image[(c * height + yy) * width + xx];
                        }
                    }
                    out[(c * oh + y) * ow + x] = v;
                }
            }
        }
        return out;
    }

    /** Nearest upsampling: each pixel repeated f x f times. */
    public static double[] nearest(double[] image, int channels, int height, int width, int factor) {
        int oh = height * factor, ow = width * factor;
        double[] out = new double[channels * oh * ow];
        for (int c = 0; c < channels; c++) for (int y = 0; y < oh; y++) for (int x = 0; x < ow; x++) {
            out[(c * oh + y) * ow + x] = image[(c * height + y / factor) * width + x / factor];
        }
        return out;
    }

    /** Area downsampling on the host: f x f block means (the same as {@link LowResolution#downsample}). */
    public static double[] areaDownsample(double[] image, int channels, int height, int width, int factor) {
        int oh = height / factor, ow = width / factor;
        double[] out = new double[channels * oh * ow];
        for (int c = 0; c < channels; c++) for (int y = 0; y < oh; y++) for (int x = 0; x < ow; x++) {
            double s = 0;
            for (int j = 0; j < factor; j++) for (int i = 0; i < factor; i++) s += image[(c * height + y * factor + j) * width + x * factor + i];
            out[(c * oh + y) * ow + x] = s / (factor * factor);
        }
        return out;
    }
}
