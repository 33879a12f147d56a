package org.diffusion4j.experiments.examples;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code d4j example NAME [ARGS...]}: runs a program of examples/ (examples/README.md lists them); 'list' names them. */
@Command(name = "example", mixinStandardHelpOptions = true, description = {
        "Runs one of the course's example programs (examples/NAME.java, compiled on the fly).",
        "NAME is kebab-case (train-and-sample runs TrainAndSample.java) or 'list'; --tiny runs it at test sizes."})
public final class ExampleCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "example name, or 'list'")
    String name;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "arguments for the example (e.g. --tiny)")
    String[] args = new String[0];

    @Override public Integer call() throws Exception {
        if (name.equals("list")) {
            for (String n : ExampleRunner.names(ExampleRunner.examplesFolder())) System.out.println(n);
            return 0;
        }
        ExampleRunner.run(name, Arrays.copyOf(args, args.length));
        return 0;
    }
}
