package org.diffusion4j.experiments.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class WavTest {
    @TempDir Path dir;

    @Test void writesTheCanonicalHeaderAndReadsTheSamplesBack() throws IOException {
        double[] x = new double[17];
        for (int i = 0; i < x.length; i++) x[i] = Math.sin(0.7 * i) * 0.9;
        x[3] = 1.5;                                   // clamps to full scale
        Path f = dir.resolve("a.wav");
        Wav.write(f, x, 8000);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(44 + 34, b.limit());
        assertEquals(8000, b.getInt(24));
        assertEquals(16000, b.getInt(28));
        assertEquals(16, b.getShort(34));
        assertEquals(34, b.getInt(40));
        assertEquals((short) Math.round(x[5] * 32767), b.getShort(44 + 10));
        Wav.Clip c = Wav.read(f, 8000, 17);
        for (int i = 0; i < x.length; i++) {
            double expected = Math.round(Math.max(-1, Math.min(1, x[i])) * 32767) / 32768.0;
            assertEquals(expected, c.samples()[i], 0.0, "sample " + i);
        }
    }

    @Test void skipsUnknownChunks() throws IOException {
        Path f = dir.resolve("list.wav");
        Wav.write(f, new double[]{0.25, -0.5}, 16000);
        byte[] plain = Files.readAllBytes(f);
        ByteBuffer b = ByteBuffer.allocate(plain.length + 13 + 1).order(ByteOrder.LITTLE_ENDIAN);
        b.put(plain, 0, 36).put("LIST".getBytes()).putInt(5).put(new byte[]{1, 2, 3, 4, 5, 0}).put(plain, 36, plain.length - 36);
        Files.write(f, b.array());
        assertArrayEquals(new double[]{8192 / 32768.0, -16384 / 32768.0}, Wav.read(f).samples(), 1e-4);
    }

    @Test void wrongRateLengthDepthOrChannelsAreNamed() throws IOException {
        Path f = dir.resolve("b.wav");
        Wav.write(f, new double[100], 22050);
        var rate = assertThrows(Wav.WavFormatException.class, () -> Wav.read(f, 8000, 100));
        assertTrue(rate.getMessage().contains("22050 Hz; expected 8000 Hz"), rate.getMessage());
        Wav.write(f, new double[100], 8000);
        var length = assertThrows(Wav.WavFormatException.class, () -> Wav.read(f, 8000, 8000));
        assertTrue(length.getMessage().contains("holds 100 samples") && length.getMessage().contains("expected 8000"), length.getMessage());

        byte[] bytes = Files.readAllBytes(f);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(34, (short) 8);
        Files.write(f, bytes);
        var depth = assertThrows(Wav.WavFormatException.class, () -> Wav.read(f));
        assertTrue(depth.getMessage().contains("8-bit samples; expected 16-bit PCM"), depth.getMessage());
        b.putShort(34, (short) 16).putShort(22, (short) 2);
        Files.write(f, bytes);
        var stereo = assertThrows(Wav.WavFormatException.class, () -> Wav.read(f));
        assertTrue(stereo.getMessage().contains("2 channels; expected mono"), stereo.getMessage());
        b.putShort(22, (short) 1).putShort(20, (short) 3);
        Files.write(f, bytes);
        var floats = assertThrows(Wav.WavFormatException.class, () -> Wav.read(f));
        assertTrue(floats.getMessage().contains("audio format 3"), floats.getMessage());
    }

    @Test void truncatedAndForeignFilesAreRefused() throws IOException {
        Path f = dir.resolve("c.wav");
        Wav.write(f, new double[50], 8000);
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, 44 + 20));
        var cut = assertThrows(Wav.WavFormatException.class, () -> Wav.read(f));
        assertTrue(cut.getMessage().contains("declares 100 bytes but only 20 follow"), cut.getMessage());
        Files.writeString(f, "not audio at all");
        assertTrue(assertThrows(Wav.WavFormatException.class, () -> Wav.read(f)).getMessage().contains("not a RIFF/WAVE"));
    }
}
