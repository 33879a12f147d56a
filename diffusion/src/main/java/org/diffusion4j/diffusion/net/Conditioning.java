package org.diffusion4j.diffusion.net;

import org.diffusion4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a network is conditioned on besides the noise level, as one value: nothing, class labels [N], a context
 * sequence [N, S, E] (read by cross-attention), a conditioning image [N, C, H, W] (concatenated to the network's
 * input, as SR3 does), token ids [N, L] (a caption, which a text-conditioned network encodes itself), or several of
 * these at once. Samplers, guidance and the trainer carry it through untouched;
 * only networks look inside. (The noise level's own encoding, c_noise, is
 * {@link org.diffusion4j.diffusion.param.NoiseConditioning}'s business, not this class's.)
 *
 * <p>Every kind has an <em>unconditional</em> form, the value a network is trained to read as "no condition" so that
 * classifier-free guidance (Ho &amp; Salimans 2022) can ask for both: the "no class" label for labels (given with the
 * labels, since only the network knows its class count), zeros for a context sequence and for an image, the empty
 * caption (every id the pad id) for token ids. Training
 * dropout replaces a sample's whole condition by that form with probability p, decided by uniforms the caller draws
 * (so the trainer keeps them a pure function of its seed and step).
 *
 * <p>Immutable; the arrays it is given are copied, the tensors shared (tensors are immutable handles).
 */
public final class Conditioning {
    private static final int UNKNOWN = -1;

    /** No condition at all. */
    public static final Conditioning NONE = new Conditioning(null, UNKNOWN, null, null, null);

    private final int[] labels;
    private final int noClass;
    private final Tensor context;
    private final Tensor image;
    private final TokenIds tokens;

    private Conditioning(int[] labels, int noClass, Tensor context, Tensor image) {
        this(labels, noClass, context, image, null);
    }

    private Conditioning(int[] labels, int noClass, Tensor context, Tensor image, TokenIds tokens) {
        this.labels = labels;
        this.noClass = noClass;
        this.context = context;
        this.image = image;
        this.tokens = tokens;
        int n = -1;
        for (int size : new int[]{labels == null ? -1 : labels.length, context == null ? -1 : context.shape(0),
                image == null ? -1 : image.shape(0), tokens == null ? -1 : tokens.count()}) {
            if (size < 0) continue;
            if (n >= 0 && size != n) throw new IllegalArgumentException("conditioning parts disagree on the batch size: "
                    + describe(labels, context, image, tokens));
            n = size;
        }
    }

    /**
     * Class labels in [0, classes) with the label the network was trained on for "no class" (the unconditional form
     * used by guidance and dropout).
     */
    public static Conditioning labels(int[] labels, int noClass) {
        if (labels == null) throw new IllegalArgumentException("class labels must be given, got null");
        if (noClass < 0) throw new IllegalArgumentException("the \"no class\" label must be >= 0, got " + noClass);
        return new Conditioning(labels.clone(), noClass, null, null);
    }

    /** Class labels without a known "no class" label: enough to sample, not for guidance or dropout. */
    public static Conditioning labels(int[] labels) {
        if (labels == null) throw new IllegalArgumentException("class labels must be given, got null");
        return new Conditioning(labels.clone(), UNKNOWN, null, null);
    }

    /** A context sequence [N, S, E] for cross-attention; its unconditional form is zeros. */
    public static Conditioning context(Tensor context) {
        if (context == null || context.rank() != 3) throw new IllegalArgumentException("a context sequence must have shape "
                + "[N, S, E], got " + (context == null ? "null" : Arrays.toString(context.shape())));
        return new Conditioning(null, UNKNOWN, context, null);
    }

    /** An image [N, C, H, W] to concatenate to the network's input; its unconditional form is zeros. */
    public static Conditioning image(Tensor image) {
        if (image == null || image.rank() != 4) throw new IllegalArgumentException("a conditioning image must have shape "
                + "[N, C, H, W], got " + (image == null ? "null" : Arrays.toString(image.shape())));
        return new Conditioning(null, UNKNOWN, null, image);
    }

    /** Token ids [N, L] (captions, for a text-conditioned network); the unconditional form is the empty caption. */
    public static Conditioning tokens(TokenIds tokens) {
        if (tokens == null) throw new IllegalArgumentException("token ids must be given, got null");
        return new Conditioning(null, UNKNOWN, null, null, tokens);
    }

    /** null means no condition (so that callers may pass null for "unconditional"). */
    public static Conditioning orNone(Conditioning c) { return c == null ? NONE : c; }

    /** This condition together with another of different kinds (labels and an image, say). */
    public Conditioning and(Conditioning other) {
        if (other == null || other.isNone()) return this;
        if (isNone()) return other;
        if ((labels != null && other.labels != null) || (context != null && other.context != null)
                || (image != null && other.image != null) || (tokens != null && other.tokens != null)) {
            throw new IllegalArgumentException("cannot combine " + this + " with " + other + ": both hold the same kind");
        }
        return new Conditioning(labels != null ? labels : other.labels, labels != null ? noClass : other.noClass,
                context != null ? context : other.context, image != null ? image : other.image,
                tokens != null ? tokens : other.tokens);
    }

    public boolean isNone() { return labels == null && context == null && image == null && tokens == null; }

    public boolean hasLabels() { return labels != null; }

    /** A copy of the class labels, or null when there are none. */
    public int[] labels() { return labels == null ? null : labels.clone(); }

    /** The label for "no class", or -1 when it was not given. */
    public int noClassLabel() { return noClass; }

    /** The context sequence [N, S, E], or null. */
    public Tensor context() { return context; }

    /** The conditioning image [N, C, H, W], or null. */
    public Tensor image() { return image; }

    /** The token ids [N, L], or null. */
    public TokenIds tokens() { return tokens; }

    /** This condition without its token ids (what a text-conditioned network hands on after encoding them). */
    public Conditioning withoutTokens() {
        return tokens == null ? this : new Conditioning(labels, noClass, context, image, null);
    }

    /** The number of samples this condition is for, or -1 for {@link #NONE} (which fits any batch). */
    public int batchSize() {
        if (labels != null) return labels.length;
        if (context != null) return context.shape(0);
        if (image != null) return image.shape(0);
        if (tokens != null) return tokens.count();
        return -1;
    }

    /**
     * Checks that this condition fits a batch of n samples.
     *
     * @throws IllegalArgumentException naming both sizes when it does not
     */
    public void checkBatch(int n) {
        int b = batchSize();
        if (b >= 0 && b != n) throw new IllegalArgumentException("conditioning on " + this + " but the batch has " + n + " samples");
    }

    /** The unconditional form: "no class" labels, zero context, zero image, empty captions (NONE stays NONE). */
    public Conditioning unconditional() {
        if (isNone()) return this;
        int[] l = null;
        if (labels != null) {
            requireNoClass("the unconditional form");
            l = new int[labels.length];
            Arrays.fill(l, noClass);
        }
        return new Conditioning(l, noClass, context == null ? null : context.fullLike(0.0), image == null ? null : image.fullLike(0.0),
                tokens == null ? null : tokens.empty());
    }

    /**
     * Condition dropout for classifier-free guidance training (Ho &amp; Salimans 2022, Algorithm 1): sample i keeps its
     * condition unless u[i] &lt; p, when all of its condition becomes the unconditional form.
     *
     * @param p the dropout probability in [0, 1]; 0 returns this condition unchanged
     * @param u one uniform in [0, 1) per sample
     */
    public Conditioning dropout(double p, double[] u) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("condition dropout must be in [0, 1], got " + p);
        if (p == 0 || isNone()) return this;
        int n = batchSize();
        if (u == null || u.length != n) throw new IllegalArgumentException("condition dropout needs " + n + " uniforms, got "
                + (u == null ? "null" : u.length));
        int[] l = null;
        if (labels != null) {
            requireNoClass("label dropout");
            l = labels.clone();
            for (int i = 0; i < n; i++) if (u[i] < p) l[i] = noClass;
        }
        double[] keep = new double[n];
        boolean[] drop = new boolean[n];
        for (int i = 0; i < n; i++) {
            keep[i] = u[i] < p ? 0 : 1;
            drop[i] = u[i] < p;
        }
        return new Conditioning(l, noClass, masked(context, keep), masked(image, keep), tokens == null ? null : tokens.emptied(drop));
    }

    /** t with sample i multiplied by keep[i] (so dropped samples become zeros, the unconditional form). */
    private static Tensor masked(Tensor t, double[] keep) {
        if (t == null) return null;
        int[] shape = new int[t.rank()];
        Arrays.fill(shape, 1);
        shape[0] = keep.length;
        return t.mul(Tensor.of(t.backend(), t.dtype(), keep, shape));
    }

    /** Samples [from, from + count) of this condition. */
    public Conditioning narrow(int from, int count) {
        if (isNone()) return this;
        return new Conditioning(labels == null ? null : Arrays.copyOfRange(labels, from, from + count), noClass,
                context == null ? null : context.narrow(0, from, count), image == null ? null : image.narrow(0, from, count),
                tokens == null ? null : tokens.narrow(from, count));
    }

    private void requireNoClass(String what) {
        if (noClass < 0) throw new IllegalStateException(what + " needs the \"no class\" label; build the labels with "
                + "Conditioning.labels(labels, noClass)");
    }

    @Override public String toString() {
        return isNone() ? "no condition" : describe(labels, context, image, tokens);
    }

    private static String describe(int[] labels, Tensor context, Tensor image, TokenIds tokens) {
        List<String> parts = new ArrayList<>();
        if (labels != null) parts.add(labels.length + " class labels");
        if (context != null) parts.add("a context sequence " + Arrays.toString(context.shape()));
        if (image != null) parts.add("an image " + Arrays.toString(image.shape()));
        if (tokens != null) parts.add(tokens.toString());
        return String.join(" and ", parts);
    }
}
