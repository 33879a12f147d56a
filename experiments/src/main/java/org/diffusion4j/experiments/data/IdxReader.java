package org.diffusion4j.experiments.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX files of MNIST and Fashion-MNIST (LeCun et al.): a big-endian magic number
 * 0x00000803 (unsigned bytes, 3 dimensions) for images or 0x00000801 for labels, the dimension sizes as
 * big-endian 32-bit integers, then the bytes. Gzipped files (".gz", or gzip magic bytes) are read as well.
 */
public final class IdxReader {
    static final int IMAGES_MAGIC = 0x00000803, LABELS_MAGIC = 0x00000801;
    /** Guard against a corrupt header asking for an absurd allocation. */
    private static final long MAX_BYTES = 1L << 30;

    private IdxReader() { }

    /** Images as unsigned bytes [count][rows * cols], plus the geometry. */
    public record Images(byte[][] pixels, int rows, int cols) {
        public int count() { return pixels.length; }
    }

    public static Images readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = readHeaderInt(in, file, "magic number");
            if (magic != IMAGES_MAGIC) throw new IdxFormatException(file, String.format(
                    "magic number 0x%08x is not that of an IDX image file (0x%08x)", magic, IMAGES_MAGIC));
            int count = readHeaderInt(in, file, "image count"), rows = readHeaderInt(in, file, "row count"),
                    cols = readHeaderInt(in, file, "column count");
            if (count < 0 || rows <= 0 || cols <= 0) throw new IdxFormatException(file, "invalid sizes: "
                    + count + " images of " + rows + "x" + cols);
            if ((long) count * rows * cols > MAX_BYTES) throw new IdxFormatException(file, "header claims "
                    + count + " images of " + rows + "x" + cols + ", more than the " + MAX_BYTES + " bytes allowed");
            byte[][] px = new byte[count][rows * cols];
            for (int i = 0; i < count; i++) readFully(in, px[i], file, "image " + i + " of " + count);
            return new Images(px, rows, cols);
        }
    }

    public static int[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = readHeaderInt(in, file, "magic number");
            if (magic != LABELS_MAGIC) throw new IdxFormatException(file, String.format(
                    "magic number 0x%08x is not that of an IDX label file (0x%08x)", magic, LABELS_MAGIC));
            int count = readHeaderInt(in, file, "label count");
            if (count < 0 || count > MAX_BYTES) throw new IdxFormatException(file, "invalid label count " + count);
            byte[] raw = new byte[count];
            readFully(in, raw, file, "labels");
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) labels[i] = raw[i] & 0xff;
            return labels;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new java.io.FileNotFoundException(file + ": no such file");
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read(), b1 = raw.read();
        raw.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(raw), 1 << 16) : raw);
    }

    private static int readHeaderInt(DataInputStream in, Path file, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(file, "file ends inside the header (reading the " + what + ")");
        }
    }

    private static void readFully(DataInputStream in, byte[] dst, Path file, String what) throws IOException {
        try {
            in.readFully(dst);
        } catch (EOFException e) {
            throw new IdxFormatException(file, "truncated: the file ends inside " + what);
        }
    }
}
