package org.diffusion4j.experiments.cli;

import org.diffusion4j.kernels.OpenClBackend;
import org.diffusion4j.kernels.runtime.KernelProfile;
import org.diffusion4j.tensor.Backend;

import java.io.PrintWriter;
import java.util.List;

/**
 * The device time per kernel of a whole command, printed at its end when the OpenCL backend was opened with
 * profiling ({@code D4J_OPENCL_PROFILE=1 ./d4j train ...}); nothing otherwise. See {@link KernelProfile}.
 */
final class KernelReport {
    private KernelReport() { }

    /** Prints the {@code top} kernels, per unit (a training step, say), when backend records a profile. */
    static void printIfProfiling(Backend backend, long units, String unit, int top, PrintWriter out) {
        if (!(backend instanceof OpenClBackend cl) || cl.kernelProfile().isEmpty() || units < 1) return;
        List<KernelProfile.Entry> entries = cl.kernelProfile().get().entries();
        out.printf("device time per kernel (D4J_OPENCL_PROFILE), everything the command launched divided by %d %ss:%n",
                units, unit);
        out.print(KernelProfile.table(entries, top, (int) Math.min(Integer.MAX_VALUE, units), unit));
        out.flush();
    }
}
