package org.diffusion4j.experiments.train;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Where the loop reports its progress: a progress bar with step, loss, steps/s and ETA on a terminal, plain
 * log lines otherwise (logs, CI, tests). Both go to stderr, or to the writer given.
 */
public interface Progress extends AutoCloseable {
    /** Called after every step with the step just finished (1-based count of steps done) and its loss. */
    void update(long stepsDone, double loss);

    /** A message between steps (checkpoint written, samples written). */
    void message(String text);

    @Override void close();

    /** A bar on a terminal (System.console() present), plain lines every logEvery steps otherwise. */
    static Progress forStderr(String task, long start, long total, int logEvery) {
        if (System.console() != null) return new Bar(task, start, total, System.err);
        return new Lines(task, start, total, logEvery, new PrintWriter(System.err, true));
    }

    /** Plain lines to a writer. */
    static Progress lines(String task, long start, long total, int logEvery, PrintWriter out) {
        return new Lines(task, start, total, logEvery, out);
    }

    /** me.tongfei's progress bar. */
    final class Bar implements Progress {
        private final ProgressBar bar;

        Bar(String task, long start, long total, PrintStream stream) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).startsFrom(start, java.time.Duration.ZERO)
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(stream))
                    .showSpeed().setUnit(" steps", 1).build();
        }

        @Override public void update(long stepsDone, double loss) {
            bar.stepTo(stepsDone);
            bar.setExtraMessage(String.format(Locale.ROOT, "  loss %.4g", loss));
        }

        @Override public void message(String text) {
            bar.setExtraMessage("  " + text);
        }

        @Override public void close() { bar.close(); }
    }

    /** "step 120/3000  loss 0.4123  35.2 steps/s  ETA 1m22s" every logEvery steps. */
    final class Lines implements Progress {
        private final String task;
        private final long start, total;
        private final int every;
        private final PrintWriter out;
        private final long t0 = System.nanoTime();

        Lines(String task, long start, long total, int every, PrintWriter out) {
            this.task = task;
            this.start = start;
            this.total = total;
            this.every = Math.max(1, every);
            this.out = out;
        }

        @Override public void update(long stepsDone, double loss) {
            if (stepsDone % every != 0 && stepsDone != total) return;
            double seconds = (System.nanoTime() - t0) / 1e9;
            double rate = (stepsDone - start) / Math.max(seconds, 1e-9);
            long eta = rate > 0 ? Math.round((total - stepsDone) / rate) : 0;
            out.printf(Locale.ROOT, "%s: step %d/%d  loss %.4g  %.1f steps/s  ETA %dm%02ds%n", task, stepsDone, total, loss,
                    rate, eta / 60, eta % 60);
            out.flush();
        }

        @Override public void message(String text) {
            out.println(task + ": " + text);
            out.flush();
        }

        @Override public void close() { out.flush(); }
    }
}
