package org.diffusion4j.experiments.audio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A command-line speech synthesiser of Debian's (espeak-ng, flite) that speaks one word into a WAV file. */
public interface Synthesiser {
    /** The program's name, as in the manifest ("espeak-ng", "flite"). */
    String name();

    /** The Debian package that installs it. */
    String debianPackage();

    /** Its voices, as the manifest names them (sorted, so that a seed picks the same ones on every machine). */
    List<Voice> voices() throws IOException;

    /**
     * Speaks the word with a voice; pitch and rate in [0, 1] map onto the program's own ranges.
     *
     * @return the program's arguments that carry the variation (for the manifest)
     */
    String speak(Voice voice, String word, double pitch, double rate, Path wav) throws IOException;

    /** The program's version line (for the manifest). */
    String version() throws IOException;

    /**
     * A voice, and the speaker it belongs to: the train/test split is by speaker, so that voices that differ only
     * in accent or sample rate (espeak-ng's en-us+adam and en-gb+adam, flite's kal and kal16) fall on the same side.
     */
    record Voice(String name, String speaker) {}

    /** True when the program runs here. */
    static boolean installed(String program) {
        try {
            Process p = new ProcessBuilder(program, "--help").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs a program to its end and returns its output; a non-zero exit is an error quoting the output. */
    static String runProgram(List<String> command) throws IOException { return runProgram(command, true); }

    /** As {@link #runProgram(List)}; with checkExit false a non-zero exit is accepted (flite --version exits 1). */
    static String runProgram(List<String> command, boolean checkExit) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
        if (checkExit && p.exitValue() != 0) throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": " + out.strip());
        return out;
    }

    /** The message for a synthesiser that is not installed, naming its Debian package. */
    static String missingMessage(String program, String debianPackage) {
        return program + " is not installed (not found on the PATH); install Debian's package " + debianPackage
                + ": sudo apt-get install " + debianPackage;
    }
}
