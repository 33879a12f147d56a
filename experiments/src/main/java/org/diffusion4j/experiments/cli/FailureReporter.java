package org.diffusion4j.experiments.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.function.BooleanSupplier;

/**
 * The one failure path of the command line: turns what a command throws into one line on stderr,
 * {@code d4j COMMAND: MESSAGE}, and an exit code. Expected failures (a bad file or value, a full disk, a
 * read-only folder, a device that cannot be opened, a size that does not fit in memory) print that line
 * alone, and their stack trace only with {@code --debug}; anything else is a bug: it says so and always
 * prints its trace.
 *
 * <p>Exit codes (docs/cli.md): {@link #FAILURE} an expected failure; 2 bad usage (picocli's, and a bad
 * config); {@link #TOO_LARGE} a size whose memory estimate exceeds the heap; {@link #INTERNAL} a bug.
 */
final class FailureReporter implements IExecutionExceptionHandler {

    static final int FAILURE = 1;
    static final int TOO_LARGE = 3;
    static final int INTERNAL = 70;

    private final BooleanSupplier debug;

    /** debug: whether {@code --debug} was given (read when a failure happens, after parsing). */
    FailureReporter(BooleanSupplier debug) { this.debug = debug; }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        return report(e, "d4j " + command.getCommandName(), command.getErr());
    }

    /** Prints the line (and the trace where due) for any throwable; returns the exit code. */
    int report(Throwable t, String prefix, PrintWriter err) {
        int code = exitCode(t);
        if (code == INTERNAL) {
            err.println(prefix + ": internal error (a bug, please report it with this trace): " + oneLine(String.valueOf(t)));
            t.printStackTrace(err);
        } else {
            err.println(prefix + ": " + message(t));
            if (debug.getAsBoolean()) t.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** The exit code of a throwable: which of the documented kinds of failure it is. */
    static int exitCode(Throwable t) {
        if (t instanceof MemoryBudget.TooLargeException || t instanceof OutOfMemoryError) return TOO_LARGE;
        if (t instanceof IllegalArgumentException || t instanceof IllegalStateException
                || t instanceof UnsupportedOperationException || t instanceof IOException
                || t instanceof UncheckedIOException) return FAILURE;
        return INTERNAL;
    }

    /** One line naming the input and what was expected (the exception's message, completed for bare I/O errors). */
    static String message(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            return "out of memory (" + oneLine(t.getMessage()) + "): the Java heap holds at most "
                    + MemoryBudget.human(Runtime.getRuntime().maxMemory()) + "; ask for smaller sizes or give Java more "
                    + "with D4J_JAVA_OPTS=-Xmx<size>";
        }
        if (t instanceof UncheckedIOException u && u.getCause() != null) {
            String outer = u.getMessage(), inner = describe(u.getCause());
            if (outer == null || outer.equals(u.getCause().toString())) return oneLine(inner);
            // The wrapper's message names what was being done; add the cause's reason where it is not already said.
            return oneLine(outer.contains(inner) ? outer : outer + " (" + inner + ")");
        }
        return oneLine(describe(t));
    }

    /** A message for a throwable; file-system errors, whose message is often just the path, get their reason. */
    private static String describe(Throwable t) {
        if (t instanceof NoSuchFileException f) return "no such file or folder: " + f.getFile();
        if (t instanceof AccessDeniedException f) return "permission denied (read-only or not yours): " + f.getFile();
        if (t instanceof FileAlreadyExistsException f) return "already exists, in the way of a file or folder to be made: " + f.getFile();
        if (t instanceof NotDirectoryException f) return "not a folder: " + f.getFile();
        if (t instanceof FileSystemException f && f.getReason() != null) {
            return f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": " + f.getReason();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
