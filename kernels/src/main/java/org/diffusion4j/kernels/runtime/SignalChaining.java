package org.diffusion4j.kernels.runtime;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this JVM runs with the JDK's signal-chaining library (libjsig) preloaded, and a warning when it
 * does not although it should.
 *
 * <p>Opening OpenCL lets drivers install signal handlers of their own: PoCL's LLVM replaces the handlers of
 * SIGSEGV, SIGBUS, SIGILL and more. HotSpot raises SIGSEGV on purpose (implicit null checks, safepoint
 * polls) and expects its own handler to catch it; with LLVM's handler in place such a fault ends the process
 * with exit code 139 and no hs_err file. This happens at random moments, and on some machines at once (it
 * was the "rare native crash" of the parity tests). Preloading {@code $JAVA_HOME/lib/libjsig.so} keeps the
 * JVM's handlers installed and passes the other signals on to the driver's. {@code ./d4j}, the scripts and
 * the Maven test runs preload it; this class only detects and reports.
 */
public final class SignalChaining {
    private SignalChaining() { }

    private static volatile boolean warned;

    /** The library that should be preloaded for this JVM, or null where there is none (not Linux, or a JRE without it). */
    public static Path library() {
        Path jsig = Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
        return Files.isRegularFile(jsig) ? jsig : null;
    }

    /** True when the LD_PRELOAD value {@code ldPreload} (colon- or space-separated, may be null) names a libjsig. */
    public static boolean preloads(String ldPreload) {
        if (ldPreload == null) return false;
        for (String entry : ldPreload.split("[: ]+")) {
            if (entry.endsWith("/libjsig.so") || entry.equals("libjsig.so")) return true;
        }
        return false;
    }

    /** True when signal chaining is in effect, or not needed because this JDK has no libjsig to preload. */
    public static boolean inEffect() {
        return library() == null || preloads(System.getenv("LD_PRELOAD"));
    }

    /** A one-line description for {@code d4j info}. */
    public static String describe() {
        Path lib = library();
        if (lib == null) return "not available (no libjsig.so in this Java runtime)";
        return preloads(System.getenv("LD_PRELOAD")) ? "on (" + lib + " preloaded)"
                : "OFF: start java with LD_PRELOAD=" + lib + " (./d4j does), or an OpenCL driver may crash the JVM";
    }

    /** Prints a warning to stderr, once per JVM, when signal chaining should be in effect and is not. */
    static void warnIfMissing() {
        if (warned || inEffect()) return;
        warned = true;
        System.err.println("diffusion4j: warning: OpenCL drivers (PoCL's LLVM among them) replace the JVM's signal "
                + "handlers, which can kill the JVM at random (exit code 139, no hs_err file). Start java with "
                + "LD_PRELOAD=" + library() + " (./d4j and the project's scripts do).");
    }
}
