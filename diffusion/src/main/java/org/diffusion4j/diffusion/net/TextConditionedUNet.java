package org.diffusion4j.diffusion.net;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Module;
import org.diffusion4j.tensor.Tensor;

/**
 * Text-to-image as one network: a {@link TextEncoder} turns the condition's token ids into token states and a pooled
 * vector, and a {@link UNet} with cross-attention denoises x_t reading them. Both are submodules ("text", "unet"), so
 * the encoder is trained by the diffusion loss, saved in every checkpoint and averaged by the EMA with the UNet.
 *
 * <p>Classifier-free guidance needs nothing else: the condition's unconditional form is the empty caption (all pad),
 * which the encoder reads as its start token alone, and caption dropout in training replaces whole captions by it.
 */
public final class TextConditionedUNet extends Module implements NoiseConditionalNetwork {
    private final TextEncoder text;
    private final UNet unet;

    /** The UNet's contextDim must be the encoder's width. */
    public TextConditionedUNet(TextEncoder.Config encoder, UNetConfig unet) {
        if (unet.contextDim() != encoder.width()) throw new IllegalArgumentException("TextConditionedUNet: the UNet reads a "
                + "context of width " + unet.contextDim() + " but the text encoder's width is " + encoder.width());
        this.text = register("text", new TextEncoder(encoder));
        this.unet = register("unet", new UNet(unet));
    }

    public TextEncoder encoder() { return text; }

    public UNet unet() { return unet; }

    @Override public Module module() { return this; }

    /** The condition must hold token ids [N, L]; any other part (labels, an image) goes on to the UNet. */
    @Override public Variable forward(Variable x, Tensor noiseCondition, Conditioning condition) {
        Conditioning c = Conditioning.orNone(condition);
        if (c.tokens() == null) throw new IllegalArgumentException("a text-conditioned network needs token ids [N, L] "
                + "(Conditioning.tokens), got " + c);
        if (c.context() != null) throw new IllegalArgumentException("a text-conditioned network makes its own context; got " + c);
        c.checkBatch(x.shape(0));
        return unet.forward(x, noiseCondition, c.withoutTokens(), text.forward(c.tokens()));
    }
}
