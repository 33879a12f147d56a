package org.diffusion4j.experiments.audio;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** One split of the spoken digits in memory: clips of {@link SpokenDigits#CLIP_SAMPLES} samples in [-1, 1], digit labels. */
public final class AudioDataset {
    private final double[][] clips;
    private final int[] labels;

    public AudioDataset(double[][] clips, int[] labels) {
        if (clips.length != labels.length) throw new IllegalArgumentException(clips.length + " clips but " + labels.length + " labels");
        this.clips = clips;
        this.labels = labels;
    }

    /** The clips of one split ("train" or "test") listed in the folder's manifest, each checked for rate and length. */
    public static AudioDataset load(Path folder, String split) throws IOException {
        if (!split.equals("train") && !split.equals("test"))
            throw new IllegalArgumentException("spoken-digits split '" + split + "': expected train or test");
        List<SpokenDigits.Entry> rows = SpokenDigits.read(folder).stream().filter(e -> e.split().equals(split)).toList();
        if (rows.isEmpty()) throw new IOException(folder.resolve(SpokenDigits.MANIFEST) + " lists no " + split + " clips");
        double[][] clips = new double[rows.size()][];
        int[] labels = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            clips[i] = Wav.read(folder.resolve(rows.get(i).file()), SpokenDigits.SAMPLE_RATE, SpokenDigits.CLIP_SAMPLES).samples();
            labels[i] = rows.get(i).digit();
        }
        return new AudioDataset(clips, labels);
    }

    public int size() { return clips.length; }

    public int length() { return clips.length == 0 ? 0 : clips[0].length; }

    public int classes() { return 10; }

    public int label(int i) { return labels[i]; }

    public double[] clip(int i) { return clips[i].clone(); }

    /** The clips at these indices as [n, 1, L]. */
    public Tensor batch(Backend backend, DType dtype, int[] indices) {
        int l = length();
        double[] d = new double[indices.length * l];
        for (int k = 0; k < indices.length; k++) System.arraycopy(clips[indices[k]], 0, d, k * l, l);
        return Tensor.of(backend, dtype, d, indices.length, 1, l);
    }

    public int[] labels(int[] indices) {
        int[] out = new int[indices.length];
        for (int k = 0; k < indices.length; k++) out[k] = labels[indices[k]];
        return out;
    }
}
