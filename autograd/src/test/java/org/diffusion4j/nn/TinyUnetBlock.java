package org.diffusion4j.nn;

import org.diffusion4j.autograd.Variable;

/**
 * A small UNet-like block with every ingredient of UNet-S: sinusoidal time embedding and its MLP,
 * GN+SiLU, 3x3 convs, the time-embedding add broadcast over H and W, a 1x1 skip conv, self-attention,
 * a residual add, and the down/up sampling pair (average pooling, nearest upsampling).
 */
final class TinyUnetBlock extends Module {
    private final int cout;
    private final SinusoidalEmbedding timeEmbedding = new SinusoidalEmbedding(8);
    private final Linear time1, time2;
    private final GroupNorm norm1, norm2;
    private final Conv2d conv1, conv2, skip;
    private final SelfAttention2d attention;

    TinyUnetBlock(int cin, int cout, int groups) {
        this.cout = cout;
        time1 = register("time1", new Linear(8, 16));
        time2 = register("time2", new Linear(16, cout));
        norm1 = register("norm1", new GroupNorm(groups, cin));
        conv1 = register("conv1", new Conv2d(cin, cout, 3, 1, 1));
        norm2 = register("norm2", new GroupNorm(groups, cout));
        conv2 = register("conv2", new Conv2d(cout, cout, 3, 1, 1));
        skip = register("skip", new Conv2d(cin, cout, 1, 1, 0));
        attention = register("attention", new SelfAttention2d(cout, groups));
    }

    Variable forward(Variable x, Variable t) {
        Variable temb = time2.forward(time1.forward(timeEmbedding.forward(t)).silu());
        Variable h = conv1.forward(norm1.forwardSilu(x));
        h = h.add(temb.reshape(x.shape(0), cout, 1, 1));
        h = conv2.forward(norm2.forwardSilu(h));
        Variable out = skip.forward(x).add(h);
        out = attention.forward(out);
        Variable pooled = Variable.avgPool2d(out, 2);
        return Variable.upsampleNearest2d(pooled, 2).add(out);
    }
}
