package org.diffusion4j.experiments.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {
    @TempDir Path dir;

    static byte[] images(int magic, int count, int rows, int cols, int payloadBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int i = 0; i < payloadBytes; i++) out.writeByte(i * 7 + 3);
        return bytes.toByteArray();
    }

    static byte[] labels(int count, int payload, int value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(IdxReader.LABELS_MAGIC);
        out.writeInt(count);
        for (int i = 0; i < payload; i++) out.writeByte((i + value) % 10);
        return bytes.toByteArray();
    }

    Path write(String name, byte[] data, boolean gzip) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream o = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            o.write(data);
        }
        return p;
    }

    @Test
    void readsPlainAndGzippedIdentically() throws IOException {
        byte[] data = images(IdxReader.IMAGES_MAGIC, 3, 2, 5, 30);
        var plain = IdxReader.readImages(write("a", data, false));
        var gz = IdxReader.readImages(write("a.gz", data, true));
        assertEquals(3, plain.count());
        assertEquals(2, plain.rows());
        assertEquals(5, plain.cols());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(plain.pixels()[i], gz.pixels()[i]);
            for (int j = 0; j < 10; j++) assertEquals((byte) ((i * 10 + j) * 7 + 3), plain.pixels()[i][j]);
        }
    }

    @Test
    void wrongMagicIsNamed() throws IOException {
        Path p = write("bad", images(0x00000801, 1, 2, 2, 4), false);
        var e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains("magic number 0x00000801"), e.getMessage());
        assertTrue(e.getMessage().contains(p.toString()));
    }

    @Test
    void truncatedPayloadIsNamed() throws IOException {
        Path p = write("trunc.gz", images(IdxReader.IMAGES_MAGIC, 4, 3, 3, 30), true);
        var e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("image 3 of 4"), e.getMessage());
    }

    @Test
    void truncatedHeaderIsNamed() throws IOException {
        Path p = write("short", new byte[]{0, 0, 8, 3, 0, 0}, false);
        var e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains("header"), e.getMessage());
    }

    @Test
    void absurdHeaderDoesNotAllocate() throws IOException {
        Path p = write("huge", images(IdxReader.IMAGES_MAGIC, 1 << 30, 28, 28, 0), false);
        var e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains("more than"), e.getMessage());
    }

    @Test
    void missingFilesSayHowToInstall() {
        var e = assertThrows(FileNotFoundException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TEST));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void labelCountMismatchIsReported() throws IOException {
        write("t10k-images-idx3-ubyte", images(IdxReader.IMAGES_MAGIC, 2, 28, 28, 2 * 784), false);
        write("t10k-labels-idx1-ubyte.gz", labels(3, 3, 0), true);
        var e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TEST, true));
        assertTrue(e.getMessage().contains("3 labels for 2 images"), e.getMessage());
    }

    @Test
    void aShortSplitIsRefusedUnlessAnySizeIsAsked() throws IOException {
        Path images = write("t10k-images-idx3-ubyte.gz", images(IdxReader.IMAGES_MAGIC, 3, 28, 28, 3 * 784), true);
        write("t10k-labels-idx1-ubyte.gz", labels(3, 3, 0), true);
        var e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TEST));
        assertTrue(e.getMessage().contains(images.toString()) && e.getMessage().contains("3 images")
                && e.getMessage().contains("has 10000"), e.getMessage());
        assertEquals(3, FashionMnist.load(dir, FashionMnist.Split.TEST, true).size());
    }

    /** The gzip trailer (RFC 1952): CRC-32 of the uncompressed bytes, then their count mod 2^32, little-endian. */
    @Test
    void aWrongGzipCrcIsRefusedNamingTheFile() throws IOException {
        Path p = write("crc.gz", images(IdxReader.IMAGES_MAGIC, 2, 3, 3, 18), true);
        byte[] gz = Files.readAllBytes(p);
        gz[gz.length - 8] ^= 0x01;  // first byte of the CRC-32
        Files.write(p, gz);
        var e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().startsWith(p.toString()) && e.getMessage().contains("corrupt gzip"), e.getMessage());
    }

    @Test
    void aFlippedPayloadByteInAStoredGzipIsCaughtByTheCrc() throws IOException {
        // Deflate level 0 stores the bytes as they are, so a flip changes a pixel but not the stream's structure:
        // only the CRC can see it.
        byte[] data = images(IdxReader.IMAGES_MAGIC, 2, 3, 3, 18);
        Path p = dir.resolve("stored.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p)) {{ def.setLevel(0); }}) {
            o.write(data);
        }
        byte[] gz = Files.readAllBytes(p);
        int at = indexOf(gz, java.util.Arrays.copyOfRange(data, data.length - 4, data.length));
        assertTrue(at > 0, "the stored payload is in the .gz bytes");
        gz[at + 3] ^= 0x40;  // the last pixel
        Files.write(p, gz);
        var e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains("corrupt gzip"), e.getMessage());
    }

    @Test
    void bytesAfterThePayloadAreRefused() throws IOException {
        Path p = write("long", images(IdxReader.IMAGES_MAGIC, 2, 2, 2, 8 + 5), false);
        var e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains("5 bytes follow the 2 images"), e.getMessage());
        Path l = write("labels-long.gz", labels(2, 3, 0), true);
        assertTrue(assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(l)).getMessage().contains("1 bytes follow"));
    }

    @Test
    void aHeaderAnnouncingMoreThanTheFileHoldsIsRefusedBeforeAllocating() throws IOException {
        Path p = write("claims", images(IdxReader.IMAGES_MAGIC, 100_000, 28, 28, 10), false);
        var e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains("holds at most"), e.getMessage());
    }

    @Test
    void loadsTheInstalledTestSplitWhenPresent() throws IOException {
        Path folder = FashionMnist.folder(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(folder),
                () -> "Fashion-MNIST not installed at " + folder + "; skipping");
        ImageDataset test = FashionMnist.load(folder, FashionMnist.Split.TEST);
        assertEquals(10000, test.size());
        int[] counts = new int[10];
        for (int i = 0; i < test.size(); i++) counts[test.label(i)]++;
        for (int c : counts) assertEquals(1000, c);  // the published test split is balanced
        double min = 9, max = -9;
        for (int j = 0; j < 784; j++) { min = Math.min(min, test.scaled(0, j)); max = Math.max(max, test.scaled(0, j)); }
        assertTrue(min >= -1 && max <= 1 && max > min);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
