package org.diffusion4j.diffusion.net;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Conv2d;
import org.diffusion4j.nn.Dropout;
import org.diffusion4j.nn.GroupNorm;
import org.diffusion4j.nn.Linear;
import org.diffusion4j.nn.Module;
import org.diffusion4j.tensor.Tensor;

/**
 * The DDPM residual block (Ho et al. 2020, after Wide ResNet): h = Conv3x3(SiLU(GN(x))); h += Linear(SiLU(temb))
 * broadcast over H, W; h = Conv3x3(Dropout(SiLU(GN(h)))); out = skip(x) + h with skip a 1x1 conv when the channel
 * count changes.
 */
final class ResBlock extends Module {
    private final GroupNorm norm1, norm2;
    private final Conv2d conv1, conv2, skip;
    private final Linear timeProjection;
    private final Dropout dropout;
    private final int outChannels;

    ResBlock(int in, int out, int timeWidth, double dropoutRate, int groups) {
        this.outChannels = out;
        this.norm1 = register("norm1", new GroupNorm(groups, in, 1e-5));
        this.conv1 = register("conv1", new Conv2d(in, out, 3, 1, 1));
        this.timeProjection = register("time", new Linear(timeWidth, out));
        this.norm2 = register("norm2", new GroupNorm(groups, out, 1e-5));
        this.dropout = register("dropout", new Dropout(dropoutRate));
        this.conv2 = register("conv2", new Conv2d(out, out, 3, 1, 1));
        this.skip = in != out ? register("skip", new Conv2d(in, out, 1, 1, 0)) : null;
    }

    /** activatedTimeEmbedding is SiLU(temb), computed once by the caller for all blocks. */
    Variable forward(Variable x, Variable activatedTimeEmbedding) {
        return forwardProjected(x, timeProjection.forward(activatedTimeEmbedding));
    }

    /**
     * The block with its time projection Linear(SiLU(temb)) [N, out] given: the UNet computes all blocks' projections
     * in one GEMM while sampling (see UNet's TimeProjections).
     */
    Variable forwardProjected(Variable x, Variable projectedTime) {
        // the time-embedding add and the residual add run inside the convolutions (Variable.conv2dAdd: the Winograd
        // output transform on OpenCL), the same additions in the same order as conv, add, conv, add
        Variable h = conv1.forward(norm1.forwardSilu(x), projectedTime, null);
        return conv2.forward(dropout.forward(norm2.forwardSilu(h)), null, skip == null ? x : skip.forward(x));
    }

    /**
     * The block on concat(a, b) along channels (the up path's concat(h, skip)). Without a tape, the two consumers of the
     * concatenation, norm1 and the skip convolution, read a and b directly (Tensor.groupNormConcat, conv2dConcat), so it
     * is never written. With a tape it is materialised once, as their backward passes read it anyway.
     */
    Variable forwardConcat(Variable a, Variable b, Variable projectedTime) {
        if (NoGrad.isRecording() || skip == null) return forwardProjected(Variable.concat(1, a, b), projectedTime);
        Tensor av = a.value(), bv = b.value();
        Tensor normed = Tensor.groupNormConcat(av, bv, norm1.weight().value(), norm1.bias().value(), norm1.groups(), norm1.eps(), true);
        Tensor skipped = Tensor.conv2dConcat(av, bv, skip.weight().value(), skip.bias().value(), skip.spec());
        Variable h = conv1.forward(Variable.constant(normed), projectedTime, null);
        return conv2.forward(dropout.forward(norm2.forwardSilu(h)), null, Variable.constant(skipped));
    }

    Linear timeProjection() { return timeProjection; }

    int outChannels() { return outChannels; }

    /** The same block written as separate operations (conv, broadcast add, conv, residual add): the reference of the tests. */
    Variable forwardUnfused(Variable x, Variable activatedTimeEmbedding) {
        int n = x.shape(0);
        Variable h = conv1.forward(norm1.forwardSilu(x));
        h = h.add(timeProjection.forward(activatedTimeEmbedding).reshape(n, outChannels, 1, 1));
        h = conv2.forward(dropout.forward(norm2.forwardSilu(h)));
        return (skip == null ? x : skip.forward(x)).add(h);
    }
}
