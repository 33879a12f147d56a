package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The one failure path (issue 21): every expected failure ends with one line on stderr naming the input and
 * what was expected, a documented exit code, and a stack trace only with --debug. Each case here printed a
 * trace, ran out of memory or exited 0 before.
 */
class FailurePathTest {
    @TempDir Path dir;

    /** stderr without the JVM's incubator warning: exactly one line, and no trace. */
    private static String oneLine(CliRun r) {
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "expected one line on stderr:\n" + r);
        assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace, no exception class name:\n" + r);
        return err;
    }

    @Test
    void aMissingNpyFileIsOneLineNamingIt() {
        Path missing = dir.resolve("no-such.npy");
        CliRun r = CliRun.of("nll", "--analytic", "gaussian", "--npy", missing.toString());
        assertEquals(FailureReporter.FAILURE, r.exitCode(), r.toString());
        String line = oneLine(r);
        assertTrue(line.startsWith("d4j nll: ") && line.contains(missing.toString()) && line.contains("no such file"), line);
    }

    @Test
    void debugAddsTheStackTrace() {
        Path missing = dir.resolve("no-such.npy");
        CliRun r = CliRun.of("nll", "--analytic", "gaussian", "--npy", missing.toString(), "--debug");
        assertEquals(FailureReporter.FAILURE, r.exitCode(), r.toString());
        assertTrue(r.err().contains("\tat "), r.toString());
    }

    @Test
    void aCorruptNpyHeaderIsOneLineNamingTheFile() throws IOException {
        Path bad = dir.resolve("bad.npy");
        Npy.writeFloat64(bad, new double[]{1, 2, 3, 4}, 2, 2);
        byte[] bytes = Files.readAllBytes(bad);
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replace("(2, 2)", "(a, 2)");
        Files.write(bad, text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        CliRun r = CliRun.of("nll", "--analytic", "gaussian", "--npy", bad.toString());
        assertEquals(FailureReporter.FAILURE, r.exitCode(), r.toString());
        String line = oneLine(r);
        assertTrue(line.contains(bad.toString()) && line.contains("extent 'a'"), line);
    }

    @Test
    void anOutputUnderARegularFileIsOneLineWithTheReason() throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Path out = file.resolve("samples.npy");  // a folder that is a file: the OS refuses, as for a read-only folder
        CliRun r = CliRun.of("sample", "--analytic", "gaussian", "--sampler", "ode-euler", "--steps", "2", "--n", "3",
                "--npy", out.toString());
        assertEquals(FailureReporter.FAILURE, r.exitCode(), r.toString());
        String line = oneLine(r);
        assertTrue(line.startsWith("d4j sample: ") && line.contains(file.toString()), line);
    }

    @Test
    void nllRefusesNonFinitePointsInsteadOfPrintingNaN() throws IOException {
        Path npy = dir.resolve("nan.npy");
        Npy.writeFloat64(npy, new double[]{0.5, Double.NaN, 1, 2}, 2, 2);
        CliRun r = CliRun.of("nll", "--analytic", "gaussian", "--npy", npy.toString());
        assertNotEquals(0, r.exitCode(), r.toString());
        assertFalse(r.out().contains("NaN bits/dim"), r.toString());
        assertTrue(oneLine(r).contains("finite"), r.toString());
    }

    @Test
    void nllRefusesAnEmptyCount() {
        CliRun r = CliRun.of("nll", "--run", dir.toString(), "--n", "0");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--n must be >= 1, got 0"), r.toString());
    }

    @Test
    void aHugeBatchIsRefusedWithAnEstimateBeforeAnyFolderIsMade() throws IOException {
        Path config = Files.writeString(dir.resolve("huge.yaml"), "name: huge\ntraining:\n  batchSize: 2147483647\n  steps: 1\n");
        Path runs = dir.resolve("runs");
        CliRun r = CliRun.of("train", "--config", config.toString(), "--runs", runs.toString());
        assertEquals(FailureReporter.TOO_LARGE, r.exitCode(), r.toString());
        assertTrue(oneLine(r).contains("training.batchSize 2147483647"), r.toString());
        assertFalse(Files.exists(runs.resolve("huge")), "no run folder for a run that cannot start");
    }

    @Test
    void aHugeTimestepCountIsRefusedWithAnEstimate() throws IOException {
        Path config = Files.writeString(dir.resolve("t.yaml"), "name: t\ndiffusion:\n  timesteps: 2000000000\ntraining:\n  steps: 1\n");
        CliRun r = CliRun.of("train", "--config", config.toString(), "--runs", dir.resolve("runs").toString());
        // 2e9 steps x 10 doubles = 149 GiB: more than any heap the tests run with
        assertEquals(FailureReporter.TOO_LARGE, r.exitCode(), r.toString());
        String line = oneLine(r);
        assertTrue(line.contains("diffusion.timesteps 2000000000") && line.contains("149.0 GiB"), line);
    }

    @Test
    void aHugeSampleCountIsRefusedWithAnEstimate() {
        CliRun r = CliRun.of("sample", "--analytic", "gaussian", "--sampler", "ode-euler", "--n", "1000000000",
                "--npy", dir.resolve("x.npy").toString());
        assertEquals(FailureReporter.TOO_LARGE, r.exitCode(), r.toString());
        assertTrue(oneLine(r).contains("--n 1000000000"), r.toString());
    }

    @Test
    void aDeviceIndexBeyondIntIsNamed() {
        CliRun r = CliRun.of("--device", "opencl:99999999999", "info");
        assertEquals(FailureReporter.FAILURE, r.exitCode(), r.toString());
        String said = r.out() + r.err();
        assertTrue(said.contains("device index '99999999999' in 'opencl:99999999999'") && !said.contains("For input string"), r.toString());
    }

    // ------------------------------------------------------------------ the reporter itself

    private static String reported(Throwable t, int expectedCode, boolean debug) {
        StringWriter s = new StringWriter();
        int code = new FailureReporter(() -> debug).report(t, "d4j x", new PrintWriter(s));
        assertEquals(expectedCode, code, s.toString());
        return s.toString();
    }

    @Test
    void fileSystemErrorsGiveTheirReason() {
        String diskFull = reported(new UncheckedIOException("cannot write runs/a/config.json: runs/a/config.json",
                new FileSystemException("runs/a/config.json", null, "No space left on device")), 1, false);
        assertTrue(diskFull.startsWith("d4j x: cannot write runs/a/config.json") && diskFull.contains("No space left on device")
                && diskFull.strip().lines().count() == 1, diskFull);
        String denied = reported(new java.nio.file.AccessDeniedException("/ro/run"), 1, false);
        assertTrue(denied.contains("permission denied") && denied.contains("/ro/run"), denied);
    }

    @Test
    void aMultiLineMessageBecomesOneLine() {
        assertEquals("d4j x: first second", reported(new IllegalArgumentException("first\n  second"), 1, false).strip());
    }

    @Test
    void aBugIsSaidToBeOneAndKeepsItsTrace() {
        String out = reported(new NullPointerException("boom"), FailureReporter.INTERNAL, false);
        assertTrue(out.contains("internal error") && out.contains("\tat "), out);
    }

    @Test
    void outOfMemoryIsExitThreeWithTheHeapSize() {
        String out = reported(new OutOfMemoryError("Java heap space"), FailureReporter.TOO_LARGE, false);
        assertTrue(out.contains("out of memory") && out.contains("-Xmx"), out);
        assertFalse(out.contains("\tat "), out);
    }
}
