package org.diffusion4j.experiments.cli;

import org.diffusion4j.tensor.Backends;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The command line as a user meets it: exit codes, help, version, the device option. */
class MainTest {

    /** One run of the CLI with captured streams. */
    private record Result(int exitCode, String out, String err) { }

    private static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new Main(env), new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    private static Result run(String... args) { return run(Map.of(), args); }

    @Test
    void versionNamesTheProjectVersionAndTheJdk() {
        Result r = run("--version");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("diffusion4j " + VersionProvider.projectVersion() + "\n"), r.out());
        assertTrue(r.out().contains("JDK " + System.getProperty("java.runtime.version")), r.out());
        assertFalse(VersionProvider.projectVersion().isBlank());
    }

    @Test
    void everyCommandHasHelp() {
        CommandLine cli = Main.commandLine(new Main(Map.of()), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()));
        assertFalse(cli.getSubcommands().isEmpty());
        for (String name : cli.getSubcommands().keySet()) {
            Result r = name.equals("help") ? run("help", "info") : run(name, "--help");
            assertEquals(0, r.exitCode(), name);
            assertTrue(r.out().contains("Usage: d4j "), name + ": " + r.out());
        }
        Result top = run("--help");
        assertEquals(0, top.exitCode());
        assertTrue(top.out().contains("--device=DEVICE"), top.out());
        assertTrue(top.out().contains("info"), top.out());
    }

    @Test
    void unknownOptionIsAUsageErrorWithExitCode2() {
        Result r = run("info", "--no-such-option");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Unknown option: '--no-such-option'"), r.err());
        assertTrue(r.err().contains("Usage:"), r.err());
    }

    @Test
    void unknownCommandAndMissingCommandAreUsageErrors() {
        assertEquals(2, run("no-such-command").exitCode());
        Result none = run();
        assertEquals(2, none.exitCode());
        assertTrue(none.err().contains("Missing required subcommand"), none.err());
    }

    @Test
    void badDeviceIsAUsageErrorNamingTheValue() {
        Result r = run("--device", "gpu:0", "info");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("'gpu'"), r.err());
        assertTrue(r.err().contains("expected cpu, opencl or opencl:N"), r.err());
    }

    @Test
    void deviceOptionIsAcceptedBeforeAndAfterTheSubcommand() {
        for (String[] args : new String[][] {{"--device", "cpu", "info"}, {"info", "--device=cpu"}}) {
            Result r = run(args);
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("  chosen       cpu\n  why          asked for with --device\n"), r.out());
        }
    }

    @Test
    void environmentVariableIsTheFallbackAndTheOptionWins() {
        Result fromEnv = run(Map.of("D4J_DEVICE", "cpu"), "info");
        assertTrue(fromEnv.out().contains("why          asked for with D4J_DEVICE\n"), fromEnv.out());
        Result optionWins = run(Map.of("D4J_DEVICE", "opencl:7"), "info", "--device", "cpu");
        assertEquals(0, optionWins.exitCode(), optionWins.err());
        assertTrue(optionWins.out().contains("why          asked for with --device\n"), optionWins.out());
    }

    @Test
    void badEnvironmentValueMakesInfoFailNamingIt() {
        Result r = run(Map.of("D4J_DEVICE", "tpu"), "info");
        assertEquals(1, r.exitCode());
        assertTrue(r.out().contains("chosen       none: unknown device kind 'tpu' in 'tpu' from D4J_DEVICE"), r.out());
    }

    @Test
    void backendOpensTheRequestedDeviceAndMakesItTheDefault() {
        assertSame(Backends.cpu(), new Main(Map.of("D4J_DEVICE", "cpu")).backend());
        assertSame(Backends.cpu(), Backends.defaultBackend());
    }

    @Test
    void backendNeverFallsBackFromAMissingDeviceToTheCpu() {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> new Main(Map.of("D4J_DEVICE", "opencl:999")).backend());
        assertTrue(e.getMessage().contains("opencl"), e.getMessage());
    }

    @Test
    void precisionComesFromTheOptionThenTheEnvironmentAndIsNamedByInfo() {
        Result r = run(Map.of("D4J_PRECISION", "3xTF32"), "info");
        assertTrue(r.out().contains("\nPrecision\n  requested    3xtf32 (from D4J_PRECISION)\n"), r.out());
        Result option = run(Map.of("D4J_PRECISION", "tf32"), "--precision", "strict", "info");
        assertTrue(option.out().contains("  requested    strict (from --precision)\n"), option.out());
        Result bad = run("--precision", "half", "info");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("--precision: unknown precision 'half': expected one of strict, tf32, 3xtf32"), bad.err());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Main(Map.of("D4J_DEVICE", "cpu", "D4J_PRECISION", "tf32")).backend());
        assertTrue(e.getMessage().startsWith("precision tf32 is not available on " + Backends.cpu().description()), e.getMessage());
        assertEquals(org.diffusion4j.tensor.Precision.STRICT, new Main(Map.of("D4J_DEVICE", "cpu")).backend().precision());
    }

    @Test
    void infoListsTheProvidersOnTheClassPath() {
        Result r = run("info");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("  cpu          " + Backends.cpu().description() + ", always present\n"), r.out());
        boolean openClPresent = Backends.provider("opencl") != null;
        assertEquals(!openClPresent, r.out().contains("OpenCL: no OpenCL provider is present"), r.out());
    }
}
