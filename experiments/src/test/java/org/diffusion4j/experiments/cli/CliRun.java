package org.diffusion4j.experiments.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One in-process run of the d4j command line with captured streams (CPU device unless told otherwise). */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new Main(Map.of(Main.DEVICE_ENV, "cpu")), new PrintWriter(out), new PrintWriter(err), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    @Override public String toString() { return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err; }
}
