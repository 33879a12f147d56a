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

    /**
     * With profiling on, one line: the kernels enqueued between two readings of {@link OpenClBackend#kernelLaunches}
     * (before = {@link #launchesSoFar}) and their number per unit (a network evaluation, say).
     */
    static void printLaunchesIfProfiling(Backend backend, long before, long units, String unit, PrintWriter out) {
        if (!(backend instanceof OpenClBackend cl) || cl.kernelProfile().isEmpty() || units < 1 || before < 0) return;
        long launches = cl.kernelLaunches() - before;
        out.printf(java.util.Locale.ROOT, "kernels launched: %d, %.1f per %s%n", launches, launches / (double) units, unit);
        out.flush();
    }

    /** The OpenCL backend's launch count so far, or -1 for other backends. */
    static long launchesSoFar(Backend backend) {
        return backend instanceof OpenClBackend cl ? cl.kernelLaunches() : -1;
    }
}
