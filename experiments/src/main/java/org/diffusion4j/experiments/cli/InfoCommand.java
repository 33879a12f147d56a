package org.diffusion4j.experiments.cli;

import org.diffusion4j.tensor.BackendProvider;
import org.diffusion4j.tensor.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code d4j info}: what this machine offers and which device a command would run on. Opens no device. */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Prints the version, the JDK, CPU threads and heap, the backends present, every OpenCL "
                + "platform and device, and which device a command would use and why."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the report was printed and the requested device exists",
                "1:the report was printed but the requested device cannot be used",
                "2:bad usage"})
public final class InfoCommand implements Callable<Integer> {

    @ParentCommand private Main d4j;
    @Spec private CommandSpec spec;

    @Override
    public Integer call() {
        List<BackendProvider> providers = Backends.providers();
        DeviceChoice choice = null;
        String error = null;
        try {
            choice = DeviceChoice.resolve(d4j.deviceRequest(), providers);
        } catch (IllegalArgumentException | IllegalStateException e) {
            error = e.getMessage();
        }
        spec.commandLine().getOut().print(InfoReport.render(VersionProvider.projectVersion(), RuntimeFacts.current(),
                Backends.cpu().description(), providers, choice, error));
        spec.commandLine().getOut().print(precisionSection());
        return choice == null ? FailureReporter.FAILURE : 0;
    }

    /** The precision policy a computing command would ask its device for (the device is not opened here). */
    private String precisionSection() {
        String line;
        try {
            Main.PrecisionRequest p = d4j.precisionRequest();
            line = p == null ? "strict (default; a run config's precision key, --precision or $" + Main.PRECISION_ENV + " choose "
                    + org.diffusion4j.tensor.Precision.names() + ")" : p.precision().label() + " (from " + p.source() + ")";
        } catch (IllegalArgumentException e) {
            line = "none: " + e.getMessage();
        }
        return "\nPrecision\n  " + String.format(java.util.Locale.ROOT, "%-12s ", "requested") + line
                + "\n  tf32 and 3xtf32 need an NVIDIA GPU of compute capability 8.0+ (tensor cores); elsewhere a command refuses them\n";
    }
}
