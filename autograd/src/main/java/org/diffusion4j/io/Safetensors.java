package org.diffusion4j.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors checkpoint format (Hugging Face): an 8-byte little-endian unsigned header length N, N
 * bytes of UTF-8 JSON mapping each tensor name to {"dtype", "shape", "data_offsets": [begin, end]} (offsets
 * relative to the data section) plus an optional "__metadata__" map of strings, then the raw little-endian
 * row-major data. The data section must be covered exactly by the tensors (no overlaps, no holes).
 *
 * <p>Writing is atomic: a temporary file in the same folder is written, forced to disk, then renamed over the
 * target. Reading validates the whole header against the file before allocating any tensor, so a damaged
 * file gives one exception naming the file and the fault, never an OutOfMemoryError or a partial load.
 * F32 and F64 load as they are; F16 and BF16 load as F32; I8, I16, I32, I64, U8 and BOOL load as F64
 * (I64 beyond 2^53 loses precision).
 */
public final class Safetensors {
    /** Headers larger than this are rejected (the reference implementation's limit is 100 MB). */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private Safetensors() { }

    /** Tensors in file order and the metadata strings. */
    public record Contents(LinkedHashMap<String, Tensor> tensors, LinkedHashMap<String, String> metadata) { }

    /** The element types of the format that this reader understands, with their sizes. */
    enum FileType {
        F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

        final int bytes;

        FileType(int bytes) { this.bytes = bytes; }

        /** The dtype the values load as. */
        DType loadsAs() {
            return switch (this) {
                case F32, F16, BF16 -> DType.F32;
                default -> DType.F64;
            };
        }
    }

    // ================================================================================ writing

    /** Writes tensors (in map order) and metadata atomically to path. */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            for (Map.Entry<String, String> e : metadata.entrySet()) meta.put(e.getKey(), e.getValue());
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("safetensors: '__metadata__' is reserved, not a tensor name");
            Tensor t = e.getValue();
            long size = t.numel() * t.dtype().bytes();
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", t.dtype().name());
            ArrayNode shape = entry.putArray("shape");
            for (int d : t.shape()) shape.add(d);
            entry.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("safetensors: cannot encode the header for " + path, ex);
        }
        // Pad the header with spaces to a multiple of 8 so the data section is aligned.
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();

        Path dir = path.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, head);
                for (Tensor t : tensors.values()) writeFully(ch, littleEndianBytes(t));
                ch.force(true);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException ex) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException ex) {
            throw new UncheckedIOException("safetensors: cannot write " + path + ": " + ex.getMessage(), ex);
        } finally {
            if (tmp != null) try { Files.deleteIfExists(tmp); } catch (IOException ignored) { }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    private static ByteBuffer littleEndianBytes(Tensor t) {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(t.numel() * t.dtype().bytes())).order(ByteOrder.LITTLE_ENDIAN);
        if (t.dtype() == DType.F32) b.asFloatBuffer().put(t.toFloatArray());
        else b.asDoubleBuffer().put(t.toDoubleArray());
        return b;
    }

    // ================================================================================ reading

    /** Reads every tensor onto the CPU backend. */
    public static Contents read(Path path) { return read(path, Backends.cpu()); }

    /** Reads every tensor onto backend. */
    public static Contents read(Path path, Backend backend) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < 8) throw bad(path, "truncated: " + fileSize + " bytes, shorter than the 8-byte header length");
            ByteBuffer lenBuf = readAt(ch, 0, 8, path);
            long n = lenBuf.order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n < 0 || n > fileSize - 8) throw bad(path, "header length " + Long.toUnsignedString(n)
                    + " runs past the end of the file (" + fileSize + " bytes)");
            if (n > MAX_HEADER_BYTES) throw bad(path, "header length " + n + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
            if (n < 2) throw bad(path, "header length " + n + " is too small for a JSON object");
            ByteBuffer headBuf = readAt(ch, 8, (int) n, path);
            String headText = StandardCharsets.UTF_8.decode(headBuf).toString();
            long dataStart = 8 + n, dataLength = fileSize - dataStart;
            Header header = parseHeader(path, headText, dataLength);

            LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : header.entries) {
                ByteBuffer data = readAt(ch, dataStart + e.begin, Math.toIntExact(e.end - e.begin), path);
                tensors.put(e.name, decode(backend, e, data.order(ByteOrder.LITTLE_ENDIAN)));
            }
            return new Contents(tensors, header.metadata);
        } catch (IOException ex) {
            throw new UncheckedIOException("safetensors: cannot read " + path + ": " + ex.getMessage(), ex);
        }
    }

    private record Entry(String name, FileType type, int[] shape, long begin, long end) { }

    private record Header(List<Entry> entries, LinkedHashMap<String, String> metadata) { }

    /** Parses and validates the header completely before any tensor is allocated. */
    private static Header parseHeader(Path path, String text, long dataLength) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException ex) {
            throw bad(path, "header is not valid JSON: " + ex.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw bad(path, "header is not a JSON object");
        LinkedHashMap<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            JsonNode node = f.getValue();
            if (name.equals("__metadata__")) {
                if (!node.isObject()) throw bad(path, "__metadata__ is not an object");
                for (Iterator<Map.Entry<String, JsonNode>> m = node.fields(); m.hasNext(); ) {
                    Map.Entry<String, JsonNode> kv = m.next();
                    if (!kv.getValue().isTextual()) throw bad(path, "metadata value of '" + kv.getKey() + "' is not a string");
                    metadata.put(kv.getKey(), kv.getValue().asText());
                }
                continue;
            }
            entries.add(parseEntry(path, name, node, dataLength));
        }
        checkCoverage(path, entries, dataLength);
        return new Header(entries, metadata);
    }

    private static Entry parseEntry(Path path, String name, JsonNode node, long dataLength) {
        if (!node.isObject()) throw bad(path, "entry '" + name + "' is not an object");
        JsonNode dt = node.get("dtype"), sh = node.get("shape"), off = node.get("data_offsets");
        if (dt == null || !dt.isTextual()) throw bad(path, "tensor '" + name + "' has no dtype string");
        if (sh == null || !sh.isArray()) throw bad(path, "tensor '" + name + "' has no shape array");
        if (off == null || !off.isArray() || off.size() != 2) throw bad(path, "tensor '" + name + "' needs data_offsets [begin, end]");
        FileType type = fileType(path, name, dt.asText());
        int[] shape = new int[sh.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = sh.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0 || d.asLong() > Integer.MAX_VALUE) throw bad(path,
                    "tensor '" + name + "' has a bad extent " + d + " in its shape");
            shape[i] = (int) d.asLong();
            numel *= shape[i];  // cannot overflow: numel <= 2^31 - 1 before, each extent <= 2^31 - 1
            if (numel > Integer.MAX_VALUE) throw bad(path, "tensor '" + name + "' has shape " + sh
                    + ", more than the 2147483647 elements supported");
        }
        for (JsonNode o : off) if (!o.isIntegralNumber() || !o.canConvertToLong() || o.asLong() < 0) throw bad(path,
                "tensor '" + name + "' has a bad data offset " + o);
        long begin = off.get(0).asLong(), end = off.get(1).asLong();
        if (begin > end) throw bad(path, "tensor '" + name + "' has data_offsets [" + begin + ", " + end + "] with begin > end");
        if (end > dataLength) throw bad(path, "tensor '" + name + "' has data_offsets [" + begin + ", " + end
                + "] outside the data section of " + dataLength + " bytes (truncated file?)");
        if (numel * type.bytes != end - begin) throw bad(path, "tensor '" + name + "' has shape " + java.util.Arrays.toString(shape)
                + " of " + type + " (" + numel * type.bytes + " bytes) but data_offsets cover " + (end - begin) + " bytes");
        return new Entry(name, type, shape, begin, end);
    }

    private static FileType fileType(Path path, String name, String dtype) {
        for (FileType t : FileType.values()) if (t.name().equals(dtype)) return t;
        for (String known : List.of("F8_E4M3", "F8_E5M2", "U16", "U32", "U64", "C64")) {
            if (known.equals(dtype)) throw bad(path, "unsupported dtype " + dtype + " of tensor '" + name + "'");
        }
        throw bad(path, "unknown dtype '" + dtype + "' of tensor '" + name + "'");
    }

    /** The tensors must tile the data section: sorted by begin, each starts where the previous ended. */
    private static void checkCoverage(Path path, List<Entry> entries, long dataLength) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long at = 0;
        String prev = null;
        for (Entry e : sorted) {
            if (e.begin < at) throw bad(path, "tensors '" + prev + "' and '" + e.name + "' overlap (byte " + e.begin
                    + " is before " + at + ")");
            if (e.begin > at) throw bad(path, "bytes " + at + ".." + e.begin + " of the data section belong to no tensor (a hole before '"
                    + e.name + "')");
            at = e.end;
            prev = e.name;
        }
        if (at != dataLength) throw bad(path, "the data section has " + dataLength + " bytes but the tensors cover " + at);
    }

    private static ByteBuffer readAt(FileChannel ch, long position, int length, Path path) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            int r = ch.read(b, position + b.position());
            if (r < 0) throw bad(path, "truncated: expected " + length + " bytes at offset " + position);
        }
        return b.flip();
    }

    private static Tensor decode(Backend backend, Entry e, ByteBuffer b) {
        int n = Math.toIntExact((e.end - e.begin) / e.type.bytes);
        if (e.type.loadsAs() == DType.F32) {
            float[] f = new float[n];
            switch (e.type) {
                case F32 -> b.asFloatBuffer().get(f);
                case F16 -> { for (int i = 0; i < n; i++) f[i] = Float.float16ToFloat(b.getShort()); }
                case BF16 -> { for (int i = 0; i < n; i++) f[i] = Float.intBitsToFloat((b.getShort() & 0xffff) << 16); }
                default -> throw new IllegalStateException(e.type.name());
            }
            return Tensor.of(backend, f, e.shape);
        }
        double[] d = new double[n];
        switch (e.type) {
            case F64 -> b.asDoubleBuffer().get(d);
            case I64 -> { for (int i = 0; i < n; i++) d[i] = b.getLong(); }
            case I32 -> { for (int i = 0; i < n; i++) d[i] = b.getInt(); }
            case I16 -> { for (int i = 0; i < n; i++) d[i] = b.getShort(); }
            case I8 -> { for (int i = 0; i < n; i++) d[i] = b.get(); }
            case U8, BOOL -> { for (int i = 0; i < n; i++) d[i] = b.get() & 0xff; }
            default -> throw new IllegalStateException(e.type.name());
        }
        return Tensor.of(backend, d, e.shape);
    }

    private static IllegalArgumentException bad(Path path, String fault) {
        return new IllegalArgumentException("bad safetensors file " + path + ": " + fault);
    }
}
