package org.diffusion4j.experiments.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * RIFF/WAVE files of 16-bit PCM, written and read by hand (the format is a 44-byte header and little-endian
 * samples). Samples are doubles in [-1, 1]: a stored value v reads as v / 32768, and x writes as
 * round(x * 32767) after clamping to [-1, 1]. Reading mono files is the common case; stereo and other depths are
 * refused with a message naming what the file holds and what was expected.
 */
public final class Wav {
    private Wav() {}

    /** A decoded file: its sample rate in Hz and its (mono) samples in [-1, 1]. */
    public record Clip(int sampleRate, double[] samples) {
        public double seconds() { return samples.length / (double) sampleRate; }
    }

    /** Writes mono 16-bit PCM at the given rate. */
    public static void write(Path file, double[] samples, int sampleRate) throws IOException {
        if (sampleRate < 1) throw new IllegalArgumentException("WAV sample rate must be >= 1 Hz, got " + sampleRate);
        int dataBytes = samples.length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + dataBytes)
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1)              // PCM
                .putShort((short) 1)              // mono
                .putInt(sampleRate).putInt(sampleRate * 2)
                .putShort((short) 2)              // bytes per frame
                .putShort((short) 16);            // bits per sample
        b.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(dataBytes);
        for (double x : samples) {
            if (!Double.isFinite(x)) throw new IllegalArgumentException("cannot write a non-finite sample (" + x + ") to " + file);
            b.putShort((short) Math.round(Math.max(-1, Math.min(1, x)) * 32767));
        }
        Files.write(file, b.array());
    }

    /** Reads a mono 16-bit PCM file of any rate. */
    public static Clip read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 12 || !tag(b, 0).equals("RIFF") || !tag(b, 8).equals("WAVE"))
            throw new WavFormatException(file + " is not a RIFF/WAVE file (expected 'RIFF....WAVE' at the start)");
        int pos = 12, rate = -1;
        while (pos + 8 <= b.limit()) {
            String id = tag(b, pos);
            long size = b.getInt(pos + 4) & 0xffffffffL;
            int body = pos + 8;
            if (id.equals("fmt ")) {
                if (size < 16 || body + 16 > b.limit()) throw new WavFormatException(file + ": truncated 'fmt ' chunk");
                int format = b.getShort(body) & 0xffff, channels = b.getShort(body + 2) & 0xffff, bits = b.getShort(body + 14) & 0xffff;
                rate = b.getInt(body + 4);
                if (format != 1 && format != 0xfffe) throw new WavFormatException(file + " holds audio format " + format
                        + "; expected 1 (integer PCM)");
                if (bits != 16) throw new WavFormatException(file + " has " + bits + "-bit samples; expected 16-bit PCM");
                if (channels != 1) throw new WavFormatException(file + " has " + channels + " channels; expected mono (1)");
            } else if (id.equals("data")) {
                if (rate < 0) throw new WavFormatException(file + ": 'data' chunk before the 'fmt ' chunk");
                if (body + size > b.limit()) throw new WavFormatException(file + ": the 'data' chunk declares " + size
                        + " bytes but only " + (b.limit() - body) + " follow (a truncated file?)");
                double[] samples = new double[(int) (size / 2)];
                for (int i = 0; i < samples.length; i++) samples[i] = b.getShort(body + 2 * i) / 32768.0;
                return new Clip(rate, samples);
            }
            pos = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1));   // chunks are padded to even sizes
        }
        throw new WavFormatException(file + " has no " + (rate < 0 ? "'fmt ' chunk" : "'data' chunk"));
    }

    /** Reads a file that must have exactly this rate and this many samples (a dataset clip, say). */
    public static Clip read(Path file, int expectedRate, int expectedSamples) throws IOException {
        Clip c = read(file);
        if (c.sampleRate() != expectedRate) throw new WavFormatException(file + " is sampled at " + c.sampleRate()
                + " Hz; expected " + expectedRate + " Hz");
        if (c.samples().length != expectedSamples) throw new WavFormatException(file + " holds " + c.samples().length
                + " samples (" + c.seconds() + " s); expected " + expectedSamples + " (" + expectedSamples / (double) expectedRate + " s)");
        return c;
    }

    private static String tag(ByteBuffer b, int at) {
        byte[] t = new byte[4];
        for (int i = 0; i < 4; i++) t[i] = b.get(at + i);
        return new String(t, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** A WAV file that is not what was expected; the message names what it holds and what was expected. */
    public static final class WavFormatException extends IOException {
        public WavFormatException(String message) { super(message); }
    }
}
