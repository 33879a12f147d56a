package org.diffusion4j.experiments;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.diffusion4j.experiments.config.ConfigException;
import org.diffusion4j.experiments.config.ConfigLoader;
import org.diffusion4j.experiments.data.IdxReader;
import org.diffusion4j.experiments.io.Npy;
import org.diffusion4j.io.Safetensors;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzz tests of every reader of user files (issue 21): random mutations of a valid safetensors, .npy, IDX
 * (plain and gzipped) and config file either read or fail with that reader's documented bad-input error,
 * within {@link #TIME_BOUND}, allocating at most {@link #ALLOCATION_BOUND} on the reading thread (measured
 * with the JVM's per-thread allocation counter), whatever the headers claim. Fixed seeds: CI runs the same
 * tries every time.
 */
class BadInputFuzzTest {
    /**
     * A hang guard, not a speed check: the defects it catches spun for minutes. Generous, because a loaded 2-core
     * machine (a build beside the tests) once took over 5 s for one 1 MiB config try.
     */
    static final Duration TIME_BOUND = Duration.ofSeconds(60);
    /** The valid inputs are a few hundred bytes; a reader believing a header's 2^31 would allocate gigabytes. */
    static final long ALLOCATION_BOUND = 64L << 20;
    private static final int TRIES = 250;

    /** One change to a file's bytes; positions are taken modulo the length. */
    record Mutation(int kind, int position, int value) {
        byte[] apply(byte[] in) {
            if (in.length == 0) return in;
            int at = Math.floorMod(position, in.length);
            byte[] out;
            switch (kind) {
                case 0 -> { out = in.clone(); out[at] ^= (byte) (1 << (value & 7)); }                     // flip a bit
                case 1 -> { out = in.clone(); out[at] = (byte) INTERESTING_BYTES[Math.floorMod(value, INTERESTING_BYTES.length)]; }
                case 2 -> out = java.util.Arrays.copyOf(in, at);                                          // truncate
                case 3 -> {                                                                               // insert bytes
                    int n = 1 + Math.floorMod(value, 16);
                    out = new byte[in.length + n];
                    System.arraycopy(in, 0, out, 0, at);
                    for (int i = 0; i < n; i++) out[at + i] = (byte) (value * 31 + i);
                    System.arraycopy(in, at, out, at + n, in.length - at);
                }
                case 4 -> {                                                                               // a big-endian int
                    out = in.clone();
                    int v = INTERESTING_INTS[Math.floorMod(value, INTERESTING_INTS.length)];
                    for (int i = 0; i < 4 && at + i < out.length; i++) out[at + i] = (byte) (v >>> (24 - 8 * i));
                }
                default -> out = replaceNumber(in, at, INTERESTING_NUMBERS[Math.floorMod(value, INTERESTING_NUMBERS.length)]);
            }
            return out;
        }

        /** Replaces the run of ASCII digits at or after at with text (headers of safetensors, .npy and configs are text). */
        private static byte[] replaceNumber(byte[] in, int at, String text) {
            int start = at;
            while (start < in.length && !Character.isDigit(in[start])) start++;
            if (start == in.length) return in;
            int end = start;
            while (end < in.length && Character.isDigit(in[end])) end++;
            byte[] t = text.getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[in.length - (end - start) + t.length];
            System.arraycopy(in, 0, out, 0, start);
            System.arraycopy(t, 0, out, start, t.length);
            System.arraycopy(in, end, out, start + t.length, in.length - end);
            return out;
        }
    }

    static final int[] INTERESTING_BYTES = {0, 1, 0x7f, 0x80, 0xff, '[', '{', '"', ',', ':', '&', '*', '\n', ' '};
    static final int[] INTERESTING_INTS = {0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 16, 1 << 30, 28, 0x803, 0x801};
    static final String[] INTERESTING_NUMBERS = {"0", "-1", "2147483647", "2147483648", "4294967296", "99999999999999999999",
            "1e9", "9223372036854775807", "1000000000", "3", "00"};

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> one = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 1 << 20), Arbitraries.integers()).as(Mutation::new);
        return one.list().ofMinSize(1).ofMaxSize(4);
    }

    private static byte[] mutated(byte[] valid, List<Mutation> ms) {
        byte[] b = valid;
        for (Mutation m : ms) b = m.apply(b);
        return b;
    }

    /** Runs read within the time bound, checking its allocation; a throwable not of the allowed types fails. */
    private static void readsOrRefuses(String what, Reader read, Class<?>... allowed) {
        assertTimeoutPreemptively(TIME_BOUND, () -> {
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            try {
                read.run();
            } catch (Throwable t) {
                boolean documented = false;
                for (Class<?> c : allowed) documented |= c.isInstance(t);
                if (!documented) fail(what + ": undocumented " + t, t);
                assertTrue(t.getMessage() != null && !t.getMessage().isBlank(), what + ": an error without a message: " + t);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated <= ALLOCATION_BOUND, what + " allocated " + allocated + " bytes, more than " + ALLOCATION_BOUND);
        }, what + " took longer than " + TIME_BOUND);
    }

    @FunctionalInterface interface Reader { void run() throws Exception; }

    // ------------------------------------------------------------------ the valid files

    private static Path temp(String name, byte[] bytes) throws IOException {
        Path dir = Files.createTempDirectory("d4j-fuzz");
        dir.toFile().deleteOnExit();
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        p.toFile().deleteOnExit();
        return p;
    }

    private static byte[] validSafetensors() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.of(Backends.cpu(), new float[]{1, 2, 3, 4, 5, 6}, 2, 3));
        tensors.put("b", Tensor.of(Backends.cpu(), new double[]{0.5, -1}, 2));
        Path p = Files.createTempFile("d4j-fuzz", ".safetensors");
        try {
            Safetensors.write(p, tensors, Map.of("step", "12"));
            return Files.readAllBytes(p);
        } finally {
            Files.deleteIfExists(p);
        }
    }

    private static byte[] validNpy() throws IOException {
        Path p = Files.createTempFile("d4j-fuzz", ".npy");
        try {
            Npy.writeFloat32(p, new float[]{1, 2, 3, 4, 5, 6}, 3, 2);
            return Files.readAllBytes(p);
        } finally {
            Files.deleteIfExists(p);
        }
    }

    private static byte[] validIdxImages(boolean gzip) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x803);
        out.writeInt(3);
        out.writeInt(4);
        out.writeInt(5);
        for (int i = 0; i < 60; i++) out.writeByte(i * 7);
        if (!gzip) return bytes.toByteArray();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) { g.write(bytes.toByteArray()); }
        return gz.toByteArray();
    }

    private static byte[] validConfig() throws IOException {
        return Files.readAllBytes(Path.of("configs", "ddpm-fashion-mnist.yaml"));
    }

    // ------------------------------------------------------------------ the properties

    @Property(tries = TRIES, seed = "2101", shrinking = ShrinkingMode.BOUNDED)
    void safetensors(@ForAll("mutations") List<Mutation> ms) throws IOException {
        Path p = temp("m.safetensors", mutated(validSafetensors(), ms));
        readsOrRefuses("safetensors " + ms, () -> Safetensors.read(p), IllegalArgumentException.class, UncheckedIOException.class);
    }

    @Property(tries = TRIES, seed = "2102", shrinking = ShrinkingMode.BOUNDED)
    void npy(@ForAll("mutations") List<Mutation> ms) throws IOException {
        Path p = temp("m.npy", mutated(validNpy(), ms));
        readsOrRefuses("npy " + ms, () -> Npy.read(p), IOException.class);
    }

    @Property(tries = TRIES, seed = "2103", shrinking = ShrinkingMode.BOUNDED)
    void idxPlain(@ForAll("mutations") List<Mutation> ms) throws IOException {
        Path p = temp("m-idx3-ubyte", mutated(validIdxImages(false), ms));
        readsOrRefuses("idx " + ms, () -> IdxReader.readImages(p), IOException.class);
        readsOrRefuses("idx as labels " + ms, () -> IdxReader.readLabels(p), IOException.class);
    }

    @Property(tries = TRIES, seed = "2104", shrinking = ShrinkingMode.BOUNDED)
    void idxGzipped(@ForAll("mutations") List<Mutation> ms) throws IOException {
        Path p = temp("m-idx3-ubyte.gz", mutated(validIdxImages(true), ms));
        readsOrRefuses("idx.gz " + ms, () -> IdxReader.readImages(p), IOException.class);
    }

    @Property(tries = TRIES, seed = "2105", shrinking = ShrinkingMode.BOUNDED)
    void config(@ForAll("mutations") List<Mutation> ms) throws IOException {
        Path p = temp("m.yaml", mutated(validConfig(), ms));
        readsOrRefuses("config " + ms, () -> ConfigLoader.load(p, List.of()), ConfigException.class);
    }
}
