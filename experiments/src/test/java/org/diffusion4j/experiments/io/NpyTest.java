package org.diffusion4j.experiments.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyTest {
    @TempDir Path dir;

    @Test
    void headerIsWhatNumpyWrites() throws IOException {
        // numpy.save of a (2, 3) float32 array writes exactly this 128-byte-aligned header (format 1.0).
        Path p = dir.resolve("a.npy");
        Npy.writeFloat32(p, new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        byte[] all = Files.readAllBytes(p);
        assertEquals((byte) 0x93, all[0]);
        assertEquals("NUMPY", new String(all, 1, 5, StandardCharsets.US_ASCII));
        int headerLen = ByteBuffer.wrap(all, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        assertEquals(0, (10 + headerLen) % 64);
        String header = new String(all, 10, headerLen, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), header);
        assertTrue(header.endsWith("\n"));
        assertEquals(10 + headerLen + 24, all.length);
        assertEquals(6.0f, ByteBuffer.wrap(all, all.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());
    }

    @Test
    void roundTripsBothDtypesAndOneDimensionalShapes() throws IOException {
        Path p = dir.resolve("b.npy");
        double[] d = {Math.PI, -1e-300, 7};
        Npy.writeFloat64(p, d, 3);
        Npy.Array a = Npy.read(p);
        assertArrayEquals(new int[]{3}, a.shape());
        assertArrayEquals(d, a.data(), 0.0);
        Npy.writeFloat32(p, new float[]{0.5f, 0.25f}, 1, 2);
        a = Npy.read(p);
        assertTrue(a.float32());
        assertArrayEquals(new double[][]{{0.5, 0.25}}, a.asRows());
    }

    @Test
    void sizeMismatchIsReported() throws IOException {
        Path p = dir.resolve("c.npy");
        Npy.writeFloat32(p, new float[]{1, 2, 3, 4}, 4);
        byte[] all = Files.readAllBytes(p);
        Files.write(p, java.util.Arrays.copyOf(all, all.length - 4));
        var e = assertThrows(IOException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().contains("needs 16 data bytes, the file has 12"), e.getMessage());
    }

    /** A version-1 header holding the given dict text (padded as NumPy pads it), then payload. */
    private Path withHeader(String dict, byte[] payload) throws IOException {
        int unpadded = 6 + 2 + 2 + dict.length() + 1, padded = (unpadded + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - unpadded) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length())
                .put(header.getBytes(StandardCharsets.US_ASCII)).put(payload);
        return Files.write(dir.resolve("h.npy"), b.array());
    }

    /** Issue 21: these threw NumberFormatException or NegativeArraySizeException, traces at the command line. */
    @Test
    void badShapesAreIoErrorsNamingTheFileAndTheExtent() throws IOException {
        for (String shape : new String[]{"(abc,)", "(2, -3)", "(99999999999,)", "(2,,3)"}) {
            Path p = withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }", new byte[0]);
            var e = assertThrows(IOException.class, () -> Npy.read(p), shape);
            assertTrue(e.getMessage().startsWith(p.toString()) && e.getMessage().contains("expected integers"), e.getMessage());
        }
        Path huge = withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (65536, 65536), }", new byte[0]);
        assertTrue(assertThrows(IOException.class, () -> Npy.read(huge)).getMessage().contains("more than the 2147483647"));
        Path trailing = withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]);
        assertArrayEquals(new int[]{1}, Npy.read(trailing).shape());
    }

    @Test
    void aVersionTwoHeaderLengthPastTheEndIsRefused() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(Integer.MAX_VALUE - 4).putInt(0);
        Path p = Files.write(dir.resolve("v2.npy"), b.array());
        var e = assertThrows(IOException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().contains("runs past the end"), e.getMessage());
    }
}
