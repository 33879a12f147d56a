package org.diffusion4j.nn;

import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Storage;
import org.diffusion4j.tensor.Tensor;

import java.util.List;

/**
 * Several parameters joined along axis 0 into one tensor, for one GEMM in place of several while sampling (the UNet's
 * time projections, attention's q, k and v). The parameters stay separate (state dicts, checkpoints and exports do not
 * change); the joined tensor is derived from them and kept per version of their storages ({@link Storage#version()}):
 * any write to one of them (an optimiser step, loading weights, moving devices) makes the next {@link #get()} join
 * them again. On a backend that does not count writes (the CPU, version -1) nothing is kept: every call joins anew,
 * inside the caller's scope. Meant for evaluation under NoGrad: the result carries no gradient.
 */
public final class ConcatenatedParameters {
    private final List<Parameter> parts;
    private Tensor joined;
    private Storage[] storages;
    private long[] versions;

    public ConcatenatedParameters(List<Parameter> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("ConcatenatedParameters: no parameters to join");
        this.parts = List.copyOf(parts);
    }

    /** concat(0, parts' values): the kept tensor while every part is unchanged, else joined now. */
    public synchronized Tensor get() {
        if (joined != null && unchanged()) return joined;
        release();
        Tensor[] values = new Tensor[parts.size()];
        for (int i = 0; i < values.length; i++) values[i] = parts.get(i).value();
        Tensor result = Tensor.concat(0, values);
        if (!tracked(values)) return result;
        storages = new Storage[values.length];
        versions = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            storages[i] = values[i].storage();
            versions[i] = storages[i].version();
        }
        joined = Scope.persist(result);
        return joined;
    }

    private static boolean tracked(Tensor[] values) {
        for (Tensor v : values) if (v.storage().version() < 0) return false;
        return true;
    }

    private boolean unchanged() {
        if (joined.storage().isClosed()) return false;
        for (int i = 0; i < storages.length; i++) {
            Storage s = parts.get(i).value().storage();
            if (s != storages[i] || s.isClosed() || s.version() != versions[i]) return false;
        }
        return true;
    }

    /** Frees the kept tensor, if any (the next get joins again). */
    public synchronized void release() {
        if (joined != null) joined.storage().close();
        joined = null;
        storages = null;
        versions = null;
    }
}
