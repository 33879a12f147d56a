package org.diffusion4j.experiments.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format, version 1.0: the magic "\x93NUMPY", version bytes, a little-endian 16-bit
 * header length, an ASCII Python dict {'descr': '&lt;f4', 'fortran_order': False, 'shape': (...)} padded
 * with spaces to a multiple of 64 bytes and ended by a newline, then the raw C-order data. Reads
 * little-endian f4 and f8 (and version 2.0 headers); writes f4 or f8 atomically.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** An array read from a file: its shape and its values as doubles (C order). */
    public record Array(int[] shape, double[] data, boolean float32) {
        public int rows() { return shape.length == 0 ? 1 : shape[0]; }

        /** Values per row (product of all axes but the first). */
        public int rowLength() { return shape.length <= 1 ? 1 : data.length / Math.max(1, shape[0]); }

        public double[][] asRows() {
            double[][] r = new double[rows()][];
            for (int i = 0; i < r.length; i++) r[i] = Arrays.copyOfRange(data, i * rowLength(), (i + 1) * rowLength());
            return r;
        }
    }

    private Npy() { }

    public static void writeFloat32(Path file, float[] data, int... shape) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : data) b.putFloat(f);
        write(file, "<f4", shape, data.length, b.array());
    }

    public static void writeFloat64(Path file, double[] data, int... shape) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : data) b.putDouble(d);
        write(file, "<f8", shape, data.length, b.array());
    }

    private static void write(Path file, String descr, int[] shape, int length, byte[] payload) throws IOException {
        long n = 1;
        for (int d : shape) n *= d;
        if (n != length) throw new IllegalArgumentException("npy: " + length + " values do not fill shape " + Arrays.toString(shape));
        StringBuilder dims = new StringBuilder();
        for (int d : shape) dims.append(d).append(", ");
        String tuple = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + (dims.length() > 0 ? dims.substring(0, dims.length() - 2) : "") + ")";
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padded = (unpadded + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - unpadded) + "\n";
        ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ch.write(head.flip());
            ch.write(ByteBuffer.wrap(header.getBytes(StandardCharsets.US_ASCII)));
            ch.write(ByteBuffer.wrap(payload));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static Array read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 10 || !Arrays.equals(Arrays.copyOf(all, 6), MAGIC)) throw new IOException(file + ": not a .npy file (bad magic)");
        int major = all[6];
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen, start;
        if (major == 1) { headerLen = b.getShort(8) & 0xffff; start = 10; }
        else if (major == 2 || major == 3) { headerLen = b.getInt(8); start = 12; }
        else throw new IOException(file + ": unsupported .npy version " + major);
        if (headerLen < 0 || (long) start + headerLen > all.length) throw new IOException(file + ": header length " + headerLen + " runs past the end of the file");
        String header = new String(all, start, headerLen, StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, file, "descr");
        if (group(FORTRAN, header, file, "fortran_order").equals("True")) throw new IOException(file + ": Fortran-order arrays are not supported");
        String shapeText = group(SHAPE, header, file, "shape").trim();
        int[] shape = shape(shapeText, file);
        long n = 1;
        for (int d : shape) {
            n *= d;  // cannot overflow: n <= 2^31 - 1 before, each extent <= 2^31 - 1
            if (n > Integer.MAX_VALUE) throw new IOException(file + ": shape (" + shapeText + ") holds more than the 2147483647 "
                    + "values a Java array can");
        }
        int width = switch (descr) {
            case "<f4" -> 4;
            case "<f8" -> 8;
            default -> throw new IOException(file + ": unsupported dtype '" + descr + "' (expected <f4 or <f8)");
        };
        int dataStart = start + headerLen;
        if ((long) dataStart + n * width != all.length) throw new IOException(file + ": shape " + Arrays.toString(shape)
                + " of " + descr + " needs " + n * width + " data bytes, the file has " + (all.length - dataStart));
        double[] data = new double[(int) n];
        b.position(dataStart);
        for (int i = 0; i < n; i++) data[i] = width == 4 ? b.getFloat() : b.getDouble();
        return new Array(shape, data, width == 4);
    }

    /** The shape tuple's extents, each an integer in [0, 2^31 - 1]. */
    private static int[] shape(String tuple, Path file) throws IOException {
        if (tuple.isEmpty()) return new int[0];
        String[] parts = tuple.split(",", -1);
        int[] shape = new int[parts.length];
        int rank = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.isEmpty() && i == parts.length - 1 && i > 0) break;  // the trailing comma of "(3,)"
            try {
                shape[rank] = Integer.parseInt(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
            } catch (NumberFormatException e) {
                shape[rank] = -1;
            }
            if (shape[rank] < 0) throw new IOException(file + ": .npy shape (" + tuple + ") has extent '" + p
                    + "', expected integers in [0, 2147483647]");
            rank++;
        }
        return Arrays.copyOf(shape, rank);
    }

    private static String group(Pattern p, String header, Path file, String key) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new IOException(file + ": .npy header has no '" + key + "': " + header.trim());
        return m.group(1);
    }
}
