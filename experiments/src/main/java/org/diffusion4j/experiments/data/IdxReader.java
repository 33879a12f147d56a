package org.diffusion4j.experiments.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX files of MNIST and Fashion-MNIST (LeCun et al.): a big-endian magic number
 * 0x00000803 (unsigned bytes, 3 dimensions) for images or 0x00000801 for labels, the dimension sizes as
 * big-endian 32-bit integers, then the bytes. Gzipped files (".gz", or gzip magic bytes) are read as well.
 *
 * <p>Every file is read to its end: bytes after the payload are an error, and a gzipped file's CRC-32 and
 * length (its trailer, RFC 1952) are checked, so a flipped byte anywhere is an {@link IdxFormatException}
 * naming the file, never a silently different dataset.
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
            return readImages(in, file);
        } catch (ZipException e) {
            throw corrupt(file, e);
        } catch (EOFException e) {
            throw new IdxFormatException(file, "the gzip data ends early (a truncated or corrupt .gz file)");
        }
    }

    private static Images readImages(DataInputStream in, Path file) throws IOException {
        int magic = readHeaderInt(in, file, "magic number");
        if (magic != IMAGES_MAGIC) throw new IdxFormatException(file, String.format(
                "magic number 0x%08x is not that of an IDX image file (0x%08x)", magic, IMAGES_MAGIC));
        int count = readHeaderInt(in, file, "image count"), rows = readHeaderInt(in, file, "row count"),
                cols = readHeaderInt(in, file, "column count");
        if (count < 0 || rows <= 0 || cols <= 0) throw new IdxFormatException(file, "invalid sizes: "
                + count + " images of " + rows + "x" + cols);
        if ((long) rows * cols > MAX_BYTES || (long) count * rows * cols > MAX_BYTES) throw new IdxFormatException(file, "header claims "
                + count + " images of " + rows + "x" + cols + ", more than the " + MAX_BYTES + " bytes allowed");
        requireRoom(file, 16 + (long) count * rows * cols, count + " images of " + rows + "x" + cols);
        byte[][] px = new byte[count][rows * cols];
        for (int i = 0; i < count; i++) readFully(in, px[i], file, "image " + i + " of " + count);
        requireEnd(in, file, count + " images");
        return new Images(px, rows, cols);
    }

    public static int[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            return readLabels(in, file);
        } catch (ZipException e) {
            throw corrupt(file, e);
        } catch (EOFException e) {
            throw new IdxFormatException(file, "the gzip data ends early (a truncated or corrupt .gz file)");
        }
    }

    private static int[] readLabels(DataInputStream in, Path file) throws IOException {
        int magic = readHeaderInt(in, file, "magic number");
        if (magic != LABELS_MAGIC) throw new IdxFormatException(file, String.format(
                "magic number 0x%08x is not that of an IDX label file (0x%08x)", magic, LABELS_MAGIC));
        int count = readHeaderInt(in, file, "label count");
        if (count < 0 || count > MAX_BYTES) throw new IdxFormatException(file, "invalid label count " + count);
        requireRoom(file, 8 + (long) count, count + " labels");
        byte[] raw = new byte[count];
        readFully(in, raw, file, "labels");
        requireEnd(in, file, count + " labels");
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = raw[i] & 0xff;
        return labels;
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

    /**
     * Refuses a header that announces more bytes than the file can hold, before they are allocated: a plain
     * file holds its size; a gzipped one at most 1032 times its size (deflate's largest expansion, RFC 1951).
     */
    private static void requireRoom(Path file, long needed, String payload) throws IOException {
        long size = Files.size(file);
        boolean gzip;
        try (InputStream in = Files.newInputStream(file)) {
            gzip = in.read() == 0x1f && in.read() == 0x8b;
        }
        long room = gzip ? 1032 * size : size;
        if (needed > room) throw new IdxFormatException(file, "the header announces " + payload + " (" + needed
                + " bytes) but a " + (gzip ? "gzipped " : "") + "file of " + size + " bytes holds at most " + room
                + " (truncated, or a corrupt header)");
    }

    /** Reads what is left (a gzip stream checks its CRC and length on reaching the end); there must be nothing. */
    private static void requireEnd(DataInputStream in, Path file, String payload) throws IOException {
        long extra = 0;
        byte[] buf = new byte[1 << 16];
        for (int r; (r = in.read(buf)) > 0; ) extra += r;
        if (extra > 0) throw new IdxFormatException(file, extra + " bytes follow the " + payload + " the header announces; "
                + "expected the file to end there");
    }

    private static IdxFormatException corrupt(Path file, ZipException e) {
        return new IdxFormatException(file, "corrupt gzip data (" + e.getMessage() + "); expected an intact .gz file, "
                + "reinstall or re-download it");
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
