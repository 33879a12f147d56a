package org.diffusion4j.experiments.superres;

import org.diffusion4j.tensor.Tensor;

/**
 * The degradation a super-resolution model inverts, and the condition it reads (SR3, Saharia et al. 2021, Sec. 2):
 * the low-resolution image is the high-resolution one averaged over f x f blocks (area downsampling: each low-res
 * pixel is the mean of the f^2 pixels it covers, as PIL's and OpenCV's INTER_AREA for integer factors), and the
 * network reads it upsampled back to full size by repeating each pixel f x f times (nearest), concatenated to x_t.
 * (SR3 upsamples bicubically; nearest keeps the condition an exact function of the low-res pixels, and the network
 * can learn any interpolation from it.)
 */
public final class LowResolution {
    private LowResolution() { }

    /** [N, C, H, W] -> [N, C, H / f, W / f] by f x f block means. */
    public static Tensor downsample(Tensor x, int factor) {
        check(x, factor);
        return x.avgPool2d(factor);
    }

    /** The conditioning image: downsample then repeat each pixel f x f times, [N, C, H, W] again. */
    public static Tensor condition(Tensor x, int factor) {
        return downsample(x, factor).upsampleNearest2d(factor);
    }

    private static void check(Tensor x, int factor) {
        if (factor < 2) throw new IllegalArgumentException("downsampling factor must be >= 2, got " + factor);
        if (x.rank() != 4 || x.shape(2) % factor != 0 || x.shape(3) % factor != 0) throw new IllegalArgumentException(
                "area downsampling by " + factor + " needs [N, C, H, W] with H and W divisible by it, got "
                        + java.util.Arrays.toString(x.shape()));
    }
}
