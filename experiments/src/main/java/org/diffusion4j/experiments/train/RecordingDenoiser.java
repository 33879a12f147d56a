package org.diffusion4j.experiments.train;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Passes every call on and remembers the state each call was asked about, (sigma, x), so that a sampler's
 * path from noise to data can be drawn as a strip. Only the first {@code keepRows} samples are copied.
 */
public final class RecordingDenoiser implements Denoiser {
    /** One call: the noise level and the first rows of x (variance-exploding coordinates), on the host. */
    public record Snapshot(double sigma, double[][] rows) { }

    private final Denoiser inner;
    private final int keepRows;
    private final List<Snapshot> snapshots = new ArrayList<>();

    public RecordingDenoiser(Denoiser inner, int keepRows) {
        this.inner = inner;
        this.keepRows = keepRows;
    }

    @Override public Variable denoise(Variable x, double sigma) {
        Tensor v = x.value();
        int rows = Math.min(keepRows, v.shape(0));
        double[] flat = v.narrow(0, 0, rows).contiguous().toDoubleArray();
        int per = flat.length / Math.max(1, rows);
        double[][] copy = new double[rows][];
        for (int r = 0; r < rows; r++) copy[r] = java.util.Arrays.copyOfRange(flat, r * per, (r + 1) * per);
        snapshots.add(new Snapshot(sigma, copy));
        return inner.denoise(x, sigma);
    }

    public List<Snapshot> snapshots() { return List.copyOf(snapshots); }

    /** About count snapshots evenly spaced over the recorded calls, always including the first and the last. */
    public List<Snapshot> evenlySpaced(int count) {
        int n = snapshots.size();
        if (n <= count) return snapshots();
        List<Snapshot> out = new ArrayList<>();
        for (int i = 0; i < count; i++) out.add(snapshots.get((int) Math.round(i * (n - 1) / (double) (count - 1))));
        return out;
    }
}
