package org.diffusion4j.tensor;

/** Geometry of a 2D convolution (symmetric zero padding, as PyTorch's {@code padding=p}). */
public record ConvSpec(int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups) {

    public ConvSpec {
        if (strideH < 1 || strideW < 1) throw new IllegalArgumentException("conv2d stride must be >= 1, got " + strideH + "x" + strideW);
        if (padH < 0 || padW < 0) throw new IllegalArgumentException("conv2d padding must be >= 0, got " + padH + "x" + padW);
        if (dilationH < 1 || dilationW < 1) throw new IllegalArgumentException("conv2d dilation must be >= 1, got " + dilationH + "x" + dilationW);
        if (groups < 1) throw new IllegalArgumentException("conv2d groups must be >= 1, got " + groups);
    }

    public static ConvSpec of(int stride, int padding) { return new ConvSpec(stride, stride, padding, padding, 1, 1, 1); }

    public static ConvSpec of(int stride, int padding, int dilation, int groups) {
        return new ConvSpec(stride, stride, padding, padding, dilation, dilation, groups);
    }

    /** Output height for input height h and kernel height kh. */
    public int outH(int h, int kh) { return (h + 2 * padH - dilationH * (kh - 1) - 1) / strideH + 1; }

    public int outW(int w, int kw) { return (w + 2 * padW - dilationW * (kw - 1) - 1) / strideW + 1; }
}
