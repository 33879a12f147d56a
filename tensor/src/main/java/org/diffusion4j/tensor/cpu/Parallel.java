package org.diffusion4j.tensor.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * The CPU backend's threads: one shared {@link ForkJoinPool}. Work is split into independent tasks (rows,
 * samples, output channels); each task writes its own outputs and computes every one of them in a fixed
 * order, so results never depend on the number of threads. Small problems run on the calling thread.
 *
 * <p>The thread count defaults to the number of processors; the system property {@code d4j.cpu.threads}
 * or {@link #setThreads} changes it (tests use 1 to check that results are bitwise independent of it).
 */
public final class Parallel {
    /** Below this much work (roughly flops or elements) a call stays on the calling thread. */
    static final long SERIAL_WORK = 1L << 15;

    private static volatile int threads = Integer.getInteger("d4j.cpu.threads", Runtime.getRuntime().availableProcessors());
    private static volatile ForkJoinPool pool;

    private Parallel() { }

    /** The number of threads the CPU backend uses. */
    public static int threads() { return threads; }

    /** Sets the number of threads (1 = everything on the calling thread). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("cpu thread count must be >= 1, got " + n);
        threads = n;
        // the old pool is not shut down: a concurrent caller may still be submitting to it; its idle
        // daemon workers time out on their own
        pool = null;
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                if (pool == null) pool = new ForkJoinPool(threads);
                p = pool;
            }
        }
        return p;
    }

    /** A body that handles tasks [start, end). */
    @FunctionalInterface
    interface Range {
        void run(int start, int end);
    }

    /**
     * Runs body over tasks [0, count), each costing about workPerTask, split into contiguous chunks over the
     * pool's threads when the total work is large enough.
     */
    static void forRange(int count, long workPerTask, Range body) {
        int t = threads;
        if (count <= 0) return;
        if (t == 1 || count == 1 || (long) count * Math.max(1, workPerTask) < SERIAL_WORK) {
            body.run(0, count);
            return;
        }
        int chunks = (int) Math.min(count, 4L * t);
        List<ForkJoinTask<?>> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int start = (int) ((long) count * c / chunks), end = (int) ((long) count * (c + 1) / chunks);
            tasks.add(ForkJoinTask.adapt(() -> body.run(start, end)));
        }
        if (ForkJoinTask.inForkJoinPool()) {
            ForkJoinTask.invokeAll(tasks);
        } else {
            ForkJoinPool p = pool();
            for (ForkJoinTask<?> task : tasks) p.execute(task);
            for (ForkJoinTask<?> task : tasks) task.join();
        }
    }
}
