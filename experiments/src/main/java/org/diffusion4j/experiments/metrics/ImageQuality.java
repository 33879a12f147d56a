package org.diffusion4j.experiments.metrics;

/**
 * Reference-based image quality for inpainting and reconstruction: PSNR and SSIM. Images are H x W
 * row-major arrays of one channel with values in a known data range (e.g. 1.0 for [0,1], 2.0 for [-1,1]).
 */
public final class ImageQuality {
    private ImageQuality() { }

    /** PSNR = 10 log10(range^2 / MSE) in dB; +infinity for identical images. */
    public static double psnr(double[] x, double[] y, double dataRange) {
        checkSame(x, y);
        double mse = 0;
        for (int i = 0; i < x.length; i++) mse += (x[i] - y[i]) * (x[i] - y[i]);
        mse /= x.length;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(dataRange * dataRange / mse);
    }

    /**
     * Mean SSIM (Wang, Bovik, Sheikh &amp; Simoncelli 2004, eq. 13) with an 11x11 Gaussian window of sigma 1.5,
     * K1 = 0.01, K2 = 0.03, over every window position fully inside the image ("valid"), with population
     * (weighted) statistics inside each window, as the paper's reference implementation.
     */
    public static double ssim(double[] x, double[] y, int height, int width, double dataRange) {
        checkSame(x, y);
        if (x.length != height * width) throw new IllegalArgumentException("SSIM: " + x.length + " pixels do not make a "
                + height + "x" + width + " image");
        final int size = 11;
        if (height < size || width < size) throw new IllegalArgumentException("SSIM: the image (" + height + "x" + width
                + ") must be at least 11x11 for the 11x11 window");
        double[] w = gaussianWindow(size, 1.5);
        double c1 = Math.pow(0.01 * dataRange, 2), c2 = Math.pow(0.03 * dataRange, 2);
        double total = 0;
        int count = 0;
        for (int r = 0; r + size <= height; r++) {
            for (int c = 0; c + size <= width; c++) {
                double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
                for (int i = 0; i < size; i++) {
                    for (int j = 0; j < size; j++) {
                        double wij = w[i * size + j];
                        double a = x[(r + i) * width + c + j], b = y[(r + i) * width + c + j];
                        mx += wij * a;
                        my += wij * b;
                        sxx += wij * a * a;
                        syy += wij * b * b;
                        sxy += wij * a * b;
                    }
                }
                double vx = sxx - mx * mx, vy = syy - my * my, cov = sxy - mx * my;
                total += ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                count++;
            }
        }
        return total / count;
    }

    /** A normalised size x size Gaussian window. */
    static double[] gaussianWindow(int size, double sigma) {
        double[] g = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double d = i - (size - 1) / 2.0;
            g[i] = Math.exp(-d * d / (2 * sigma * sigma));
            sum += g[i];
        }
        double[] w = new double[size * size];
        for (int i = 0; i < size; i++) for (int j = 0; j < size; j++) w[i * size + j] = g[i] * g[j] / (sum * sum);
        return w;
    }

    private static void checkSame(double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("images differ in size: " + x.length + " and " + y.length + " pixels");
    }
}
