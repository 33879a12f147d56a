package org.diffusion4j.kernels;

import org.diffusion4j.kernels.runtime.ClStorage;
import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.View;

/** Group normalisation with fused SiLU, and its backward (groupnorm.cl). */
final class NormOps {
    private final OpenClBackend b;

    NormOps(OpenClBackend b) { this.b = b; }

    private static int spatial(int[] shape) {
        int hw = 1;
        for (int d = 2; d < shape.length; d++) hw *= shape[d];
        return hw;
    }

    private static void check(View x, int groups) {
        if (x.rank() < 2 || groups < 1 || x.shape()[1] % groups != 0) throw new IllegalArgumentException("opencl groupNorm: "
                + "input " + Shapes.str(x.shape()) + " must be [N, C, ...] with C divisible by groups=" + groups);
    }

    void groupNorm(View x, View gamma, View beta, int groups, double eps, boolean silu, View out, View mean, View rstd) {
        b.requireContiguous("groupNorm", x, gamma, beta, out, mean, rstd);
        check(x, groups);
        int n = x.shape()[0], c = x.shape()[1], hw = spatial(x.shape());
        if (x.numel() == 0) return;
        boolean stats = mean != null && rstd != null;
        b.programs().groupNorm(x.dtype(), "group_norm_forward").args().mem(b.mem(x)).i(x.offset())
                .mem(b.mem(gamma == null ? x : gamma)).i(gamma == null ? 0 : gamma.offset()).i(gamma == null ? 0 : 1)
                .mem(b.mem(beta == null ? x : beta)).i(beta == null ? 0 : beta.offset()).i(beta == null ? 0 : 1)
                .i(c).i(groups).i(hw).real(eps).i(silu ? 1 : 0).mem(b.mem(out)).i(out.offset())
                .mem(b.mem(stats ? mean : out)).i(stats ? mean.offset() : 0).mem(b.mem(stats ? rstd : out)).i(stats ? rstd.offset() : 0)
                .i(stats ? 1 : 0).runGroups((long) n * groups, b.programs().reduceWorkGroup());
    }

    /** GroupNorm (+ SiLU) of concat(x1, x2) along channels, read from the two inputs (group_norm_forward_concat). */
    void groupNormConcat(View x1, View x2, View gamma, View beta, int groups, double eps, boolean silu, View out) {
        b.requireContiguous("groupNormConcat", x1, x2, gamma, beta, out);
        check(out, groups);
        int n = out.shape()[0], c = out.shape()[1], hw = spatial(out.shape());
        if (out.numel() == 0) return;
        b.programs().groupNorm(out.dtype(), "group_norm_forward_concat").args().mem(b.mem(x1)).i(x1.offset()).mem(b.mem(x2)).i(x2.offset())
                .i(x1.shape()[1])
                .mem(b.mem(gamma == null ? x1 : gamma)).i(gamma == null ? 0 : gamma.offset()).i(gamma == null ? 0 : 1)
                .mem(b.mem(beta == null ? x1 : beta)).i(beta == null ? 0 : beta.offset()).i(beta == null ? 0 : 1)
                .i(c).i(groups).i(hw).real(eps).i(silu ? 1 : 0).mem(b.mem(out)).i(out.offset())
                .runGroups((long) n * groups, b.programs().reduceWorkGroup());
    }

    void groupNormBackward(View gy, View x, View gamma, View mean, View rstd, int groups, View gx, View gGamma, View gBeta) {
        b.requireContiguous("groupNormBackward", gy, x, gamma, mean, rstd, gx, gGamma, gBeta);
        check(x, groups);
        int n = x.shape()[0], c = x.shape()[1], hw = spatial(x.shape());
        int wg = b.programs().reduceWorkGroup();
        if (x.numel() == 0) return;
        b.programs().groupNorm(x.dtype(), "group_norm_backward_input").args().mem(b.mem(gy)).i(gy.offset()).mem(b.mem(x)).i(x.offset())
                .mem(b.mem(gamma == null ? x : gamma)).i(gamma == null ? 0 : gamma.offset()).i(gamma == null ? 0 : 1)
                .mem(b.mem(mean)).i(mean.offset()).mem(b.mem(rstd)).i(rstd.offset()).i(c).i(groups).i(hw)
                .mem(b.mem(gx)).i(gx.offset()).runGroups((long) n * groups, wg);
        if (gGamma == null && gBeta == null) return;
        // The kernel writes both; a gradient nobody asked for goes to a temporary.
        try (ClStorage spareGamma = gGamma == null ? b.scratch(x.dtype(), c) : null;
             ClStorage spareBeta = gBeta == null ? b.scratch(x.dtype(), c) : null) {
            b.programs().groupNorm(x.dtype(), "group_norm_backward_affine").args().mem(b.mem(gy)).i(gy.offset()).mem(b.mem(x)).i(x.offset())
                    .mem(b.mem(mean)).i(mean.offset()).mem(b.mem(rstd)).i(rstd.offset()).i(n).i(c).i(groups).i(hw)
                    .mem(gGamma == null ? spareGamma.mem() : b.mem(gGamma)).i(gGamma == null ? 0 : gGamma.offset())
                    .mem(gBeta == null ? spareBeta.mem() : b.mem(gBeta)).i(gBeta == null ? 0 : gBeta.offset())
                    .runGroups(c, wg);
        }
    }
}
