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
}
