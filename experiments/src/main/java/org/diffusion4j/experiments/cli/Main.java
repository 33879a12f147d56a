package org.diffusion4j.experiments.cli;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DeviceSelection;
import org.diffusion4j.tensor.Precision;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;

/**
 * The {@code d4j} command: the entry point that {@code ./d4j} runs. It only holds what every subcommand
 * shares (the device option, help, version); each subcommand is one class listed in {@code subcommands}.
 *
 * <p>To add a subcommand: write a class annotated {@code @Command(name = "...", mixinStandardHelpOptions =
 * true)} that implements {@code Callable<Integer>}, give it a field {@code @ParentCommand Main d4j} and
 * call {@link #backend()} when it needs a device, then add the class to the list below.
 *
 * <p>Exit codes: 0 success, 1 failure while running, 2 bad usage (picocli's usage error), 3 a size that does
 * not fit in memory, 70 an internal error (a bug); see {@link FailureReporter} and docs/cli.md.
 */
@Command(name = "d4j",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "diffusion4j: diffusion models in pure Java, with an OpenCL backend.",
        subcommands = {
                InfoCommand.class,
                TrainCommand.class,
                SampleCommand.class,
                NllCommand.class,
                DemoCommand.class,
                TrainClassifierCommand.class,
                TrainDigitClassifierCommand.class,
                EvalCommand.class,
                EvalFloorsCommand.class,
                DataCommand.class,
                org.diffusion4j.experiments.figures.FigureCommand.class,
                org.diffusion4j.experiments.examples.ExampleCommand.class,
                InpaintCommand.class,
                CompareCommand.class,
                UpscaleCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

    /** The environment variable read when no {@code --device} is given. */
    public static final String DEVICE_ENV = DeviceSelection.DEVICE_ENV;

    /** The environment variable read when no {@code --precision} is given. */
    public static final String PRECISION_ENV = Precision.ENV;

    @Spec private CommandSpec spec;

    private final Map<String, String> environment;
    private String deviceOption;
    private boolean debug;
    private Precision precisionOption;

    public Main() { this(System.getenv()); }

    /** For tests: an explicit environment instead of the process's. */
    Main(Map<String, String> environment) { this.environment = Map.copyOf(environment); }

    @Option(names = "--device", scope = ScopeType.INHERIT, paramLabel = "DEVICE",
            description = "Where tensors live: cpu, opencl (the OpenCL provider's default device) or opencl:N "
                    + "(N as listed by 'd4j info'). Default: $" + DEVICE_ENV + ", else the first GPU, else cpu.")
    void setDevice(String value) {
        try {
            deviceOption = DeviceRequest.parse(value, "--device", Backends.providers()).spec();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "On a failure, print the stack trace after the one-line message.")
    void setDebug(boolean value) { debug = value; }

    /** Whether {@code --debug} was given. */
    boolean debug() { return debug; }
    @Option(names = "--precision", scope = ScopeType.INHERIT, paramLabel = "POLICY",
            description = "Precision of F32 matmul and convolutions: strict (FP32, the default), tf32 or 3xtf32 (tensor cores; "
                    + "NVIDIA GPUs of compute capability 8.0+ only, an error elsewhere). Default: $" + Precision.ENV
                    + ", else a run config's precision, else strict.")
    void setPrecision(String value) {
        try {
            precisionOption = Precision.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--precision: " + e.getMessage());
        }
    }

    /** A precision policy the user asked for and where it came from (--precision or D4J_PRECISION). */
    public record PrecisionRequest(Precision precision, String source) { }

    /** {@code --precision}, else {@code D4J_PRECISION}, else null (the config's or strict). */
    public PrecisionRequest precisionRequest() {
        if (precisionOption != null) return new PrecisionRequest(precisionOption, "--precision");
        String fromEnvironment = environment.get(Precision.ENV);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            try {
                return new PrecisionRequest(Precision.parse(fromEnvironment), Precision.ENV);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(Precision.ENV + ": " + e.getMessage());
            }
        }
        return null;
    }

    /**
     * The one place a command's precision is resolved and set: --precision, else D4J_PRECISION, else
     * configured (a run config's, may be null), else strict. A policy the device cannot honour throws
     * (exit code 1), naming the device and the policies it supports.
     */
    public Precision applyPrecision(Backend backend, String configured) {
        PrecisionRequest request = precisionRequest();
        Precision p = request != null ? request.precision() : configured != null ? Precision.parse(configured) : Precision.STRICT;
        backend.setPrecision(p);
        return p;
    }

    /** The device the user asked for: {@code --device}, else {@code D4J_DEVICE}, else the automatic choice. */
    public DeviceRequest deviceRequest() {
        return DeviceRequest.of(DeviceSelection.request(deviceOption, "--device", environment, Backends.providers()));
    }

    /**
     * Opens the requested backend, as {@link DeviceSelection#resolve} chooses it, and makes it the default for
     * factory methods without an explicit backend, under the precision policy --precision / D4J_PRECISION ask for
     * (strict by default). Throws (exit code 1) when the device cannot be opened or cannot honour the policy; never
     * falls back to another.
     */
    public Backend backend() { return backend(null); }

    /** As {@link #backend()}, with a config's precision policy as the fallback of --precision and D4J_PRECISION. */
    public Backend backend(String configuredPrecision) {
        Backend backend = Backends.open(Backends.resolve(deviceRequest().toSelection()));
        applyPrecision(backend, configuredPrecision);
        Backends.setDefault(backend);
        return backend;
    }

    /** {@code d4j} without a subcommand is a usage error. */
    @Override public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand (try 'd4j --help')");
    }

    /** Builds the command line, writing to the given streams. */
    static CommandLine commandLine(Main main, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(main);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new FailureReporter(main::debug));
        return cli;
    }

    /** Runs the command line and returns the exit code (for tests and for {@link #main}). */
    static int run(Main main, PrintWriter out, PrintWriter err, String... args) {
        try {
            return commandLine(main, out, err).execute(args);
        } catch (OutOfMemoryError e) {
            // Sizes are checked against the heap before allocating (MemoryBudget); this is the last resort.
            return new FailureReporter(main::debug).report(e, "d4j", err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(new Main(), out, err, args));
    }
}
