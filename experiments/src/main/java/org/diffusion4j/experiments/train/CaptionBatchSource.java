package org.diffusion4j.experiments.train;

import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.diffusion.net.TokenIds;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

/**
 * Epochs over a captioned image set for a text-conditioned network: step s takes positions [s B, (s+1) B) of the
 * endless sequence of epoch permutations drawn from (run seed, epoch) ({@link EpochOrder}), and conditions the images
 * on their captions' token ids. So batch(s) depends on s alone and a resumed run reads the batches it would have read.
 * Caption dropout (classifier-free guidance) is the trainer's, on the {@link Conditioning}: a dropped caption becomes
 * the empty one.
 */
public final class CaptionBatchSource implements BatchSource {
    private final CaptionedImages data;
    private final CaptionTokenizer tokenizer;
    private final int captionLength;
    private final Backend backend;
    private final DType dtype;
    private final EpochOrder epochs;

    /**
     * @param captionLength every caption is padded to this many tokens (the text encoder's longest)
     */
    public CaptionBatchSource(CaptionedImages data, CaptionTokenizer tokenizer, int captionLength, long seed, Backend backend, DType dtype) {
        if (data.size() == 0) throw new IllegalArgumentException("the captioned image set is empty");
        if (captionLength < 1) throw new IllegalArgumentException("the caption length must be >= 1, got " + captionLength);
        this.data = data;
        this.tokenizer = tokenizer;
        this.captionLength = captionLength;
        this.backend = backend;
        this.dtype = dtype;
        this.epochs = new EpochOrder(data.size(), seed, "epoch");
    }

    @Override public Batch batch(long step, int batchSize) {
        int[] indices = epochs.indices(step, batchSize);
        int[] ids = new int[batchSize * captionLength];
        for (int i = 0; i < batchSize; i++) {
            System.arraycopy(tokenizer.encode(data.caption(indices[i]), captionLength), 0, ids, i * captionLength, captionLength);
        }
        Tensor x0 = data.images(backend, dtype, indices);
        return new Batch(x0, Conditioning.tokens(new TokenIds(ids, batchSize, captionLength, tokenizer.pad())));
    }

    @Override public int[] sampleShape() { return data.sampleShape(); }

    @Override public int classes() { return 0; }
}
