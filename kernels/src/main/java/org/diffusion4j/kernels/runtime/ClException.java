package org.diffusion4j.kernels.runtime;

/**
 * An OpenCL call failed. The message names the call, the error code's symbolic name (for example
 * CL_OUT_OF_RESOURCES, from {@link ClErrorNames}, which needs no native library) and the sizes involved, so that a failure can be understood without a debugger.
 */
public class ClException extends RuntimeException {
    private final int code;

    public ClException(String message, int code) {
        super(message);
        this.code = code;
    }

    /** The OpenCL error code (a negative number), or 0 when the failure was detected before calling. */
    public int code() { return code; }

    /** The symbolic name of an OpenCL error code, e.g. -4 gives CL_MEM_OBJECT_ALLOCATION_FAILURE. */
    public static String nameOf(int code) { return ClErrorNames.of(code); }

    /** Throws when code is not CL_SUCCESS; details describe the arguments (sizes, kernel name). */
    public static void check(int code, String call, String details) {
        if (code != 0) {   // CL_SUCCESS; a literal, so that no JOCL class (and no native library) is loaded here
            throw new ClException(call + " failed with " + nameOf(code) + " (" + code + ")"
                    + (details == null || details.isEmpty() ? "" : ": " + details), code);
        }
    }
}
