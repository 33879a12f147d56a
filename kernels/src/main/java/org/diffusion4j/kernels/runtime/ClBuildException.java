package org.diffusion4j.kernels.runtime;

/** An OpenCL program failed to compile; the message carries the compiler's build log. */
public final class ClBuildException extends ClException {
    private final String buildLog;

    public ClBuildException(String programName, String options, int code, String buildLog) {
        super("clBuildProgram failed for program '" + programName + "' with options [" + options + "]: "
                + nameOf(code) + " (" + code + ")\n--- build log ---\n" + buildLog, code);
        this.buildLog = buildLog;
    }

    public String buildLog() { return buildLog; }
}
