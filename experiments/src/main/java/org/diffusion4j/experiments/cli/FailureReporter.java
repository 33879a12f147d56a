package org.diffusion4j.experiments.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception thrown while a command runs into exit code 1. Expected failures (a bad value,
 * a device that cannot be opened) print one line; anything else is a bug and prints its stack trace.
 */
final class FailureReporter implements IExecutionExceptionHandler {

    static final int FAILURE = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof UnsupportedOperationException) {
            command.getErr().println("d4j " + command.getCommandName() + ": " + e.getMessage());
        } else {
            command.getErr().println("d4j " + command.getCommandName() + ": unexpected error");
            e.printStackTrace(command.getErr());
        }
        command.getErr().flush();
        return FAILURE;
    }
}
