package org.diffusion4j.experiments.audio;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run shows of waveform samples [N, 1, L]: a grid of their log-mel spectrograms, and each one as a WAV file at
 * {@link SpokenDigits#SAMPLE_RATE}. Clips of 1,024 samples or more use {@link LogMel}'s defaults; shorter ones (tiny
 * test runs) a frame of the largest power of two up to L / 4 (at least 8), hop a quarter frame, frame / 4 bands.
 */
public final class AudioPictures {
    static final int SCALE = 2;

    private AudioPictures() {}

    static LogMel logMelFor(int length) {
        if (length >= 1024) return new LogMel(SpokenDigits.SAMPLE_RATE);
        int frame = Math.max(8, Integer.highestOneBit(Math.max(1, length / 4)));
        if (frame > length) throw new IllegalArgumentException("clips of " + length + " samples are too short for a spectrogram (at least 8)");
        return new LogMel(SpokenDigits.SAMPLE_RATE, frame, frame / 4, Math.max(2, frame / 4));
    }

    /** Spectrograms of the clips (rows of L samples), columns per row. */
    public static BufferedImage spectrogramGrid(double[][] clips, int columns) {
        LogMel mel = logMelFor(clips[0].length);
        List<double[][]> s = new ArrayList<>();
        for (double[] c : clips) s.add(mel.compute(c));
        return SpectrogramImage.grid(s, columns, SCALE);
    }

    /** Writes clip i as dir/prefix-i.wav (values outside [-1, 1] are clipped there); returns the files. */
    public static List<Path> writeWavs(double[][] clips, Path dir, String prefix) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < clips.length; i++) {
            Path f = dir.resolve(prefix + "-" + i + ".wav");
            Wav.write(f, clips[i], SpokenDigits.SAMPLE_RATE);
            files.add(f);
        }
        return files;
    }
}
