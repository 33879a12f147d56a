package org.diffusion4j.diffusion.net;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Conv2d;
import org.diffusion4j.nn.CrossAttention;
import org.diffusion4j.nn.GroupNorm;
import org.diffusion4j.nn.Linear;
import org.diffusion4j.nn.Module;
import org.diffusion4j.nn.SelfAttention2d;
import org.diffusion4j.nn.SinusoidalEmbedding;
import org.diffusion4j.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The DDPM UNet (Ho et al. 2020, Appendix B; the "UNet-S" table of the design notes for its default config):
 * <ul>
 *   <li>time: sinusoidal embedding of width base, then Linear(base, 4 base), SiLU, Linear(4 base, 4 base); with classes,
 *       a learned class embedding (a bias-free Linear on the one-hot label) is added;</li>
 *   <li>input: with a conditioning image (config.conditionChannels  *   <li>down: Conv3x3 in; per levelgt; 0), x_t is first concatenated with it on the
 *       channel axis (SR3, Saharia et al. 2021);</li>
 *   <li>down: Conv3x3 in; per level, resBlocksPerLevel ResBlocks (each followed by attention at attention levels), then
 *       a stride-2 Conv3x3 except after the last level; every output is kept as a skip;</li>
 *   <li>middle: ResBlock, attention, ResBlock;</li>
 *   <li>up: per level (deepest first), resBlocksPerLevel + 1 ResBlocks each on concat(h, skip), attention as on the way
 *       down, then nearest x2 upsampling and a Conv3x3 except after the top level;</li>
 *   <li>out: GN, SiLU, Conv3x3 back to the input channels.</li>
 * </ul>
 * With a context sequence (config.contextDim &gt; 0; a text encoder's token states), every self-attention, the middle
 * one included, is followed by a {@link CrossAttention} to the context, and Linear(contextDim, 4 base) of the pooled
 * context is added to the time embedding (Rombach et al. 2022, Sec. 3.3; Saharia et al. 2022, Sec. 2.2). Without one
 * the network is exactly the one above, parameter for parameter.
 * The spatial size must be divisible by 2^(levels - 1).
 */
public final class UNet extends Module implements NoiseConditionalNetwork {
    private final UNetConfig config;
    private final SinusoidalEmbedding embedding;
    private final Linear timeIn, timeOut, classEmbedding, contextEmbedding;
    private final Conv2d input, output;
    private final GroupNorm outNorm;
    private final List<Stage> down = new ArrayList<>(), up = new ArrayList<>();
    private final List<Conv2d> downsamples = new ArrayList<>(), upsamples = new ArrayList<>();
    private final ResBlock middle1, middle2;
    private final SelfAttention2d middleAttention;
    private final CrossAttention middleCross;
    private final TimeProjections timeProjections;

    /** A ResBlock and, at attention levels, the attention after it (and the cross-attention after that, with a context). */
    private record Stage(ResBlock block, SelfAttention2d attention, CrossAttention cross) {
        Variable forward(Variable x, Map<ResBlock, Variable> projectedTime, EncodedText text, Tensor keyMask) {
            return attend(block.forwardProjected(x, projectedTime.get(block)), text, keyMask);
        }

        /** On concat(a, b) along channels (the up path), without writing the concatenation while sampling. */
        Variable forwardConcat(Variable a, Variable b, Map<ResBlock, Variable> projectedTime, EncodedText text, Tensor keyMask) {
            return attend(block.forwardConcat(a, b, projectedTime.get(block)), text, keyMask);
        }

        private Variable attend(Variable h, EncodedText text, Tensor keyMask) {
            return attention == null ? h : crossAttend(cross, attention.forward(h), text, keyMask);
        }
    }

    /** h, or h after cross-attention to the text (its padding hidden by keyMask) when this position has one. */
    private static Variable crossAttend(CrossAttention cross, Variable h, EncodedText text, Tensor keyMask) {
        return cross == null ? h : cross.forward(h, text.states(), keyMask);
    }

    public UNet(UNetConfig config) {
        this.config = config;
        int base = config.baseChannels(), tw = config.timeWidth(), g = config.groups();
        double p = config.dropout();
        int[] mult = config.multipliers();
        int levels = mult.length;
        this.embedding = register("embedding", new SinusoidalEmbedding(base));
        this.timeIn = register("time_in", new Linear(base, tw));
        this.timeOut = register("time_out", new Linear(tw, tw));
        this.classEmbedding = config.classes() > 0 ? register("class_embedding", new Linear(config.classes(), tw, false)) : null;
        int e = config.contextDim();
        this.contextEmbedding = e > 0 ? register("context_embedding", new Linear(e, tw)) : null;
        this.input = register("input", new Conv2d(config.inChannels() + config.conditionChannels(), base, 3, 1, 1));
        Container downC = register("down", new Container()), upC = register("up", new Container());
        Deque<Integer> skipChannels = new ArrayDeque<>();
        skipChannels.push(base);
        int ch = base;
        for (int level = 0; level < levels; level++) {
            Container lv = downC.add(new Container());
            int out = base * mult[level];
            for (int b = 0; b < config.resBlocksPerLevel(); b++) {
                Container st = lv.add(new Container());
                ResBlock rb = st.add("res", new ResBlock(ch, out, tw, p, g));
                SelfAttention2d at = config.attentionAt(level) ? st.add("attn", new SelfAttention2d(out, g)) : null;
                down.add(new Stage(rb, at, at != null && e > 0 ? st.add("cross", new CrossAttention(out, e, config.contextHeads(), g)) : null));
                ch = out;
                skipChannels.push(ch);
            }
            if (level < levels - 1) {
                downsamples.add(lv.add("downsample", new Conv2d(ch, ch, 3, 2, 1)));
                skipChannels.push(ch);
            }
        }
        Container mid = register("middle", new Container());
        this.middle1 = mid.add("res1", new ResBlock(ch, ch, tw, p, g));
        this.middleAttention = mid.add("attn", new SelfAttention2d(ch, g));
        this.middleCross = e > 0 ? mid.add("cross", new CrossAttention(ch, e, config.contextHeads(), g)) : null;
        this.middle2 = mid.add("res2", new ResBlock(ch, ch, tw, p, g));
        for (int level = levels - 1; level >= 0; level--) {
            Container lv = upC.add(new Container());
            int out = base * mult[level];
            for (int b = 0; b <= config.resBlocksPerLevel(); b++) {
                Container st = lv.add(new Container());
                ResBlock rb = st.add("res", new ResBlock(ch + skipChannels.pop(), out, tw, p, g));
                SelfAttention2d at = config.attentionAt(level) ? st.add("attn", new SelfAttention2d(out, g)) : null;
                up.add(new Stage(rb, at, at != null && e > 0 ? st.add("cross", new CrossAttention(out, e, config.contextHeads(), g)) : null));
                ch = out;
            }
            if (level > 0) upsamples.add(lv.add("upsample", new Conv2d(ch, ch, 3, 1, 1)));
        }
        this.outNorm = register("out_norm", new GroupNorm(g, ch, 1e-5));
        this.output = register("output", new Conv2d(ch, config.inChannels(), 3, 1, 1));
        List<ResBlock> blocks = new ArrayList<>();
        for (Stage st : down) blocks.add(st.block());
        blocks.add(middle1);
        blocks.add(middle2);
        for (Stage st : up) blocks.add(st.block());
        this.timeProjections = new TimeProjections(blocks);
    }

    public UNetConfig config() { return config; }

    @Override public Module module() { return this; }

    @Override public Variable forward(Variable x, Tensor noiseCondition, Conditioning condition) {
        Conditioning c = Conditioning.orNone(condition);
        if (c.tokens() != null) throw new IllegalArgumentException("UNet: got " + c + " but it reads no token ids (a "
                + "text-conditioned network encodes them first: TextConditionedUNet)");
        EncodedText text = null;
        if (c.context() != null) {
            if (contextEmbedding == null) throw new IllegalArgumentException("UNet: got " + c + " but it has no cross-attention layers");
            text = EncodedText.unpadded(Variable.constant(c.context()));
        }
        return forward(x, noiseCondition, c, text);
    }

    /**
     * The forward with encoded text (token states that may carry gradients back to an encoder, their padding and
     * pooled vector) in place of the condition's context.
     *
     * @param text the encoded context, or null for a UNet without cross-attention
     */
    public Variable forward(Variable x, Tensor noiseCondition, Conditioning c, EncodedText text) {
        c = Conditioning.orNone(c);
        int[] s = x.shape();
        int levels = config.multipliers().length, factor = 1 << (levels - 1);
        if (s.length != 4 || s[1] != config.inChannels()) throw new IllegalArgumentException("UNet: expected x of shape [N, "
                + config.inChannels() + ", H, W], got " + java.util.Arrays.toString(s));
        if (s[2] % factor != 0 || s[3] % factor != 0) throw new IllegalArgumentException("UNet: spatial size " + s[2] + "x" + s[3]
                + " must be divisible by " + factor);
        // the two Linear layers' biases and SiLUs run in their GEMMs' epilogues (Linear.forwardSilu)
        Variable hidden = timeIn.forwardSilu(embedding.forward(Variable.constant(noiseCondition)));
        if (text != null && contextEmbedding == null) throw new IllegalArgumentException("UNet: got a context sequence but it "
                + "has no cross-attention layers");
        if (text == null && contextEmbedding != null) throw new IllegalArgumentException("UNet: its config reads a context "
                + "sequence [N, S, " + config.contextDim() + "], got " + c);
        x = withConditionImage(x, c);
        if (text != null) {
            int[] ts = text.states().shape();
            if (ts[0] != s[0] || ts[2] != config.contextDim()) throw new IllegalArgumentException("UNet: expected a context of "
                    + "shape [" + s[0] + ", S, " + config.contextDim() + "], got " + java.util.Arrays.toString(ts));
        }
        Tensor keyMask = text == null ? null : text.keyMask(config.contextHeads());   // one mask for every cross-attention
        if (c.hasLabels() && classEmbedding == null) throw new IllegalArgumentException("UNet: got class labels but the config has no classes");
        Variable temb;   // every ResBlock projects SiLU(temb): computed once here instead of once per block
        if (text == null && !c.hasLabels()) {
            temb = timeOut.forwardSilu(hidden);
        } else {
            temb = timeOut.forward(hidden);
            if (text != null) temb = temb.add(contextEmbedding.forward(text.pooled()));
            if (c.hasLabels()) temb = temb.add(classEmbedding.forward(Variable.constant(oneHot(c.labels(), x))));
            temb = temb.silu();
        }
        Map<ResBlock, Variable> projected = timeProjections.project(temb);   // one GEMM for all blocks while sampling
        Deque<Variable> skips = new ArrayDeque<>();
        Variable h = input.forward(x);
        skips.push(h);
        int stage = 0;
        for (int level = 0; level < levels; level++) {
            for (int b = 0; b < config.resBlocksPerLevel(); b++) {
                h = down.get(stage++).forward(h, projected, text, keyMask);
                skips.push(h);
            }
            if (level < levels - 1) {
                h = downsamples.get(level).forward(h);
                skips.push(h);
            }
        }
        h = crossAttend(middleCross, middleAttention.forward(middle1.forwardProjected(h, projected.get(middle1))), text, keyMask);
        h = middle2.forwardProjected(h, projected.get(middle2));
        stage = 0;
        int upIndex = 0;
        for (int level = levels - 1; level >= 0; level--) {
            for (int b = 0; b <= config.resBlocksPerLevel(); b++) {
                h = up.get(stage++).forwardConcat(h, skips.pop(), projected, text, keyMask);
            }
            if (level > 0) h = upsamples.get(upIndex++).forward(Variable.upsampleNearest2d(h, 2));
        }
        return output.forward(outNorm.forwardSilu(h));
    }

    /** concat(x, image) on the channel axis when the config takes a conditioning image (SR3, Saharia et al. 2021). */
    private Variable withConditionImage(Variable x, Conditioning c) {
        int cc = config.conditionChannels();
        if (cc == 0) {
            if (c.image() != null) throw new IllegalArgumentException("UNet: got " + c + " but its config takes no conditioning image");
            return x;
        }
        if (c.image() == null) throw new IllegalArgumentException("UNet: needs a conditioning image [N, " + cc + ", H, W], got " + c);
        int[] s = x.shape(), is = c.image().shape();
        if (is[0] != s[0] || is[1] != cc || is[2] != s[2] || is[3] != s[3]) throw new IllegalArgumentException("UNet: expected a "
                + "conditioning image of shape [" + s[0] + ", " + cc + ", " + s[2] + ", " + s[3] + "], got " + java.util.Arrays.toString(is));
        return Variable.concat(1, x, Variable.constant(c.image()));
    }

    private Tensor oneHot(int[] labels, Variable x) {
        int n = x.shape(0), k = config.classes();
        if (labels.length != n) throw new IllegalArgumentException("UNet: " + labels.length + " labels for a batch of " + n);
        double[] d = new double[n * k];
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= k) throw new IllegalArgumentException("UNet: label " + labels[i] + " is outside [0, " + k + ")");
            d[i * k + labels[i]] = 1;
        }
        return Tensor.of(x.backend(), x.dtype(), d, n, k);
    }
}
