package org.diffusion4j.kernels;

import org.diffusion4j.kernels.runtime.ClStorage;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.View;

/**
 * The Winograd-transformed filters U = G g G^T of a 3x3 convolution weight (conv_winograd.cl's winograd_weight),
 * for the forward convolution. While sampling the weights do not change, so the transform is computed once per
 * weight version and kept as a buffer derived from the weight's storage ({@link ClStorage#derived}): the
 * backend marks every write to a storage (an optimizer step, a copy, an upload), which closes the derived
 * buffers, so the next convolution transforms the new weights. The input gradient's transposed, rotated
 * filters are not kept: a training step uses them once, after which the optimizer writes the weight.
 *
 * <p>System property {@value #PROPERTY}=false transforms on every call (for comparisons).
 */
final class WinogradFilters {
    static final String PROPERTY = "d4j.conv.winogradCache";

    /** Identifies one filter bank inside a storage (a weight may be a view at an offset). */
    private record Key(String what, int offset, int out, int in) { }

    private WinogradFilters() { }

    static boolean enabled() { return !"false".equalsIgnoreCase(System.getProperty(PROPERTY)); }

    /** Transformed filters; closing frees them unless the weight's storage keeps them (cached). */
    record Filters(ClStorage u, boolean cached) implements AutoCloseable {
        @Override public void close() { if (!cached) u.close(); }
    }

    /**
     * U [16][O][C] for the forward weight w [O, C, 3, 3]: from the cache when this version of w was transformed
     * before, else transformed now (and kept, when the cache is enabled).
     */
    static Filters forward(OpenClBackend b, View w) {
        if (!enabled() || !(w.storage() instanceof ClStorage s)) return new Filters(transform(b, w, false), false);
        Key key = new Key("winograd-forward", w.offset(), w.shape()[0], w.shape()[1]);
        ClStorage u = s.derived(key);
        if (u == null) {
            u = transform(b, w, false);
            s.putDerived(key, u);
        }
        return new Filters(u, true);
    }

    /** The input gradient's filters: [16][C][O], the rotated w[o, c] transposed; never cached. */
    static Filters transposed(OpenClBackend b, View w) { return new Filters(transform(b, w, true), false); }

    private static ClStorage transform(OpenClBackend b, View w, boolean transposed) {
        DType dt = w.dtype();
        int o = w.shape()[0], c = w.shape()[1];
        ClStorage u = b.scratch(dt, 16L * o * c);
        b.programs().winograd(dt, "winograd_weight").args().mem(b.mem(w)).i(w.offset()).i(o).i(c).i(transposed ? 1 : 0)
                .mem(u.mem()).run1d((long) o * c, 128);
        return u;
    }
}
