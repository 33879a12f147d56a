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
        return choice == null ? FailureReporter.FAILURE : 0;
    }
}
