package org.diffusion4j.kernels.runtime;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_event;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Device time per kernel, from OpenCL's profiling events: for every launch, CL_PROFILING_COMMAND_END minus
 * CL_PROFILING_COMMAND_START, summed by kernel name. This is the time the device spent running each kernel,
 * without the host's enqueue cost and without gaps between kernels; copies between host and device are not
 * kernels and are not counted.
 *
 * <p>Switched on per runtime, because the queue must be created with CL_QUEUE_PROFILING_ENABLE: set the
 * environment variable {@code D4J_OPENCL_PROFILE=1} (or the system property {@code d4j.opencl.profile=true})
 * before the OpenCL backend is opened. Profiling costs an event object per launch; the events are read and
 * released in batches, after a wait for the queue, so a long run keeps little memory but is slowed a little
 * at every batch.
 */
public final class KernelProfile {
    /** Pending events are read out after this many launches (one clFinish each time). */
    private static final int HARVEST_EVERY = 8192;

    private final cl_command_queue queue;
    private final List<String> pendingNames = new ArrayList<>();
    private final List<cl_event> pendingEvents = new ArrayList<>();
    private final Map<String, long[]> totals = new HashMap<>();   // kernel -> {launches, nanoseconds}
    private final long[] start = new long[1], end = new long[1];

    KernelProfile(cl_command_queue queue) { this.queue = queue; }

    /** Whether the environment asks for profiling (D4J_OPENCL_PROFILE=1 or true, or -Dd4j.opencl.profile=true). */
    public static boolean requested() {
        String p = System.getProperty("d4j.opencl.profile");
        if (p == null) p = System.getenv("D4J_OPENCL_PROFILE");
        return p != null && (p.equals("1") || p.equalsIgnoreCase("true"));
    }

    /** One kernel's totals since the last {@link #reset()}. */
    public record Entry(String kernel, long launches, long nanos) {
        public double millis() { return nanos / 1e6; }
    }

    synchronized void record(String kernel, cl_event event) {
        pendingNames.add(kernel);
        pendingEvents.add(event);
        if (pendingEvents.size() >= HARVEST_EVERY) harvest();
    }

    /** Waits for the queue, then reads and releases every pending event. */
    private void harvest() {
        if (pendingEvents.isEmpty()) return;
        ClException.check(CL.clFinish(queue), "clFinish", "kernel profile");
        for (int i = 0; i < pendingEvents.size(); i++) {
            cl_event e = pendingEvents.get(i);
            ClException.check(CL.clGetEventProfilingInfo(e, CL.CL_PROFILING_COMMAND_START, Sizeof.cl_ulong, Pointer.to(start), null),
                    "clGetEventProfilingInfo", "kernel '" + pendingNames.get(i) + "'");
            ClException.check(CL.clGetEventProfilingInfo(e, CL.CL_PROFILING_COMMAND_END, Sizeof.cl_ulong, Pointer.to(end), null),
                    "clGetEventProfilingInfo", "kernel '" + pendingNames.get(i) + "'");
            long[] t = totals.computeIfAbsent(pendingNames.get(i), k -> new long[2]);
            t[0]++;
            t[1] += end[0] - start[0];
            CL.clReleaseEvent(e);
        }
        pendingNames.clear();
        pendingEvents.clear();
    }

    /** Forgets everything measured so far (after a warm-up, say); waits for the queue. */
    public synchronized void reset() {
        harvest();
        totals.clear();
    }

    /** The totals per kernel, largest device time first; waits for the queue. */
    public synchronized List<Entry> entries() {
        harvest();
        List<Entry> list = new ArrayList<>();
        totals.forEach((k, t) -> list.add(new Entry(k, t[0], t[1])));
        list.sort(Comparator.comparingLong(Entry::nanos).reversed().thenComparing(Entry::kernel));
        return list;
    }

    /**
     * A Markdown table of the {@code top} largest entries plus a line for the rest, with each kernel's share of
     * the total; {@code perUnit} divides times and counts (e.g. by the number of training steps measured).
     */
    public static String table(List<Entry> entries, int top, int perUnit, String unit) {
        long total = entries.stream().mapToLong(Entry::nanos).sum();
        long launches = entries.stream().mapToLong(Entry::launches).sum();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "| kernel | launches per %s | ms per %s | share | mean us per launch |%n", unit, unit));
        s.append("| --- | --- | --- | --- | --- |\n");
        long restNanos = total, restLaunches = launches;
        for (int i = 0; i < Math.min(top, entries.size()); i++) {
            Entry e = entries.get(i);
            s.append(row(e.kernel(), e.launches(), e.nanos(), total, perUnit));
            restNanos -= e.nanos();
            restLaunches -= e.launches();
        }
        if (entries.size() > top) s.append(row("(" + (entries.size() - top) + " other kernels)", restLaunches, restNanos, total, perUnit));
        s.append(row("**all kernels**", launches, total, total, perUnit));
        return s.toString();
    }

    private static String row(String name, long launches, long nanos, long total, int perUnit) {
        return String.format(Locale.ROOT, "| %s | %.1f | %.3f | %.1f%% | %.1f |%n", name, launches / (double) perUnit,
                nanos / 1e6 / perUnit, total == 0 ? 0 : 100.0 * nanos / total, launches == 0 ? 0 : nanos / 1e3 / launches);
    }
}
