package org.diffusion4j.io;

import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SafetensorsTest {
    @TempDir Path dir;

    @Test void roundTripOfF32AndF64WithMetadataAndViews() {
        LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
        t.put("a.weight", Tensor.of(Backends.cpu(), new float[]{1.5f, -2.25f, Float.MIN_VALUE, Float.MAX_VALUE, -0.0f, 3e-8f}, 2, 3));
        t.put("b", Tensor.of(Backends.cpu(), new double[]{Math.PI, -Math.E, Double.MIN_VALUE, 1e300, 7, 8}, 3, 2).transpose(0, 1));
        t.put("scalar", Tensor.scalar(Backends.cpu(), DType.F64, 42.0));
        t.put("empty", Tensor.zeros(Backends.cpu(), DType.F32, 0, 4));
        Path f = dir.resolve("x.safetensors");
        Safetensors.write(f, t, Map.of("step", "17", "note", "héllo"));
        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(List.of("a.weight", "b", "scalar", "empty"), List.copyOf(c.tensors().keySet()));
        for (String k : t.keySet()) {
            Tensor want = t.get(k), got = c.tensors().get(k);
            assertEquals(want.dtype(), got.dtype(), k);
            assertArrayEquals(want.shape(), got.shape(), k);
            assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), 0, k);
        }
        assertEquals(Map.of("step", "17", "note", "héllo"), c.metadata());
        ByteBuffer b = ByteBuffer.wrap(readAll(f)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, b.getLong() % 8, "header padded to a multiple of 8");
        try (var files = java.util.stream.Stream.of(dir.toFile().list())) {
            assertEquals(List.of("x.safetensors"), files.toList(), "no temporary file left behind");
        }
    }

    /** The format by hand: u64 LE header length, JSON, then LE data. */
    private static byte[] file(String json, byte[] data) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    private static byte[] le(Object... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object v : values) {
            ByteBuffer b;
            if (v instanceof Float f) b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(f);
            else if (v instanceof Double d) b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(d);
            else if (v instanceof Long l) b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(l);
            else if (v instanceof Integer i) b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(i);
            else if (v instanceof Short s) b = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(s);
            else throw new IllegalArgumentException(String.valueOf(v));
            out.writeBytes(b.array());
        }
        return out.toByteArray();
    }

    private Path put(String name, byte[] bytes) {
        try {
            Path p = dir.resolve(name);
            Files.write(p, bytes);
            return p;
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static byte[] readAll(Path p) {
        try { return Files.readAllBytes(p); } catch (IOException e) { throw new RuntimeException(e); }
    }

    @Test void goldenFileBuiltByteByByteReadsBackExactly() {
        // F16 0x3C00 = 1.0, 0xC000 = -2.0, 0x3555 ~ 0.33325195; BF16 0x3FC0 = 1.5, 0xC080 = -4.0
        byte[] data = concat(le(1.0f, -2.5f, 0.125f), le(Math.PI, -1e-300), le((short) 0x3C00, (short) 0xC000, (short) 0x3555),
                le((short) 0x3FC0, (short) 0xC080), le(-5L, 1L << 40), le(7, -8, 9));
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"f32\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},"
                + "\"f64\":{\"dtype\":\"F64\",\"shape\":[2,1],\"data_offsets\":[12,28]},"
                + "\"f16\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[28,34]},"
                + "\"bf16\":{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[34,38]},"
                + "\"i64\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[38,54]},"
                + "\"i32\":{\"dtype\":\"I32\",\"shape\":[3],\"data_offsets\":[54,66]}}";
        Safetensors.Contents c = Safetensors.read(put("golden.safetensors", file(json, data)));
        assertEquals(Map.of("format", "pt"), c.metadata());
        assertArrayEquals(new float[]{1.0f, -2.5f, 0.125f}, c.tensors().get("f32").toFloatArray());
        assertEquals(DType.F64, c.tensors().get("f64").dtype());
        assertArrayEquals(new int[]{2, 1}, c.tensors().get("f64").shape());
        assertArrayEquals(new double[]{Math.PI, -1e-300}, c.tensors().get("f64").toDoubleArray(), 0);
        assertArrayEquals(new float[]{1.0f, -2.0f, 0.33325195f}, c.tensors().get("f16").toFloatArray());
        assertArrayEquals(new float[]{1.5f, -4.0f}, c.tensors().get("bf16").toFloatArray());
        assertArrayEquals(new double[]{-5, 1L << 40}, c.tensors().get("i64").toDoubleArray(), 0);
        assertArrayEquals(new double[]{7, -8, 9}, c.tensors().get("i32").toDoubleArray(), 0);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private void assertBad(byte[] bytes, String... fragments) {
        Path p = put("bad.safetensors", bytes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(p));
        assertTrue(e.getMessage().contains(p.toString()), "error must name the file: " + e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "error lacks '" + f + "': " + e.getMessage());
    }

    private static final String ONE = "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    @Test void truncatedFiles() {
        assertBad(new byte[5], "truncated");
        byte[] good = file(ONE, le(1f, 2f));
        assertBad(java.util.Arrays.copyOf(good, good.length - 3), "x", "outside the data section");
    }

    @Test void headerLengthOutsideTheFileNeverAllocates() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE / 2).putLong(0);
        assertBad(b.array(), "header length", "past the end");
        ByteBuffer neg = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).putLong(0);
        assertBad(neg.array(), "header length", "18446744073709551615");
    }

    @Test void offsetsOutsideTheFile() {
        assertBad(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", le(1f, 2f)), "outside the data section");
        assertBad(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}", le(1f, 2f)), "begin > end");
    }

    @Test void overlappingRangesAndHoles() {
        String overlap = "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"y\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertBad(file(overlap, le(1f, 2f, 3f)), "overlap", "x", "y");
        String hole = "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"y\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        assertBad(file(hole, le(1f, 2f, 3f)), "belong to no tensor");
    }

    @Test void unknownAndUnsupportedDtypes() {
        assertBad(file("{\"x\":{\"dtype\":\"F31\",\"shape\":[2],\"data_offsets\":[0,8]}}", le(1f, 2f)), "unknown dtype 'F31'", "x");
        assertBad(file("{\"x\":{\"dtype\":\"F8_E4M3\",\"shape\":[8],\"data_offsets\":[0,8]}}", le(1f, 2f)), "unsupported dtype F8_E4M3");
    }

    @Test void shapeThatDisagreesWithByteCount() {
        assertBad(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", le(1f, 2f)), "[3]", "12 bytes", "cover 8 bytes");
    }

    /** Issue 21: a shape whose product overflows a long threw ArithmeticException, a trace at the command line. */
    @Test void aShapeProductBeyondTheSupportedSizeIsABadFile() {
        assertBad(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}",
                le(1f, 2f)), "more than the 2147483647 elements supported");
        assertBad(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[65536,32768],\"data_offsets\":[0,8]}}", le(1f, 2f)),
                "[65536,32768]", "more than the 2147483647");
    }

    @Test void malformedHeaders() {
        assertBad(file("{\"x\": nope", le(1f, 2f)), "not valid JSON");
        assertBad(file("[1,2]", new byte[0]), "not a JSON object");
        assertBad(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", le(1f, 2f)), "bad extent");
        assertBad(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[2]}}", le(1f, 2f)), "data_offsets");
        assertBad(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", le(1f, 2f)), "Duplicate field 'x'");
    }

    @Test void aFailedWriteLeavesTheOldFileIntact() throws IOException {
        Path f = dir.resolve("ckpt.safetensors");
        Safetensors.write(f, Map.of("x", Tensor.of(Backends.cpu(), new float[]{1, 2}, 2)), Map.of());
        byte[] before = Files.readAllBytes(f);
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(f,
                Map.of("__metadata__", Tensor.of(Backends.cpu(), new float[]{1}, 1)), Map.of()));
        assertArrayEquals(before, Files.readAllBytes(f));
    }
}
