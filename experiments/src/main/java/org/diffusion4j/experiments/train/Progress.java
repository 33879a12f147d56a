package org.diffusion4j.experiments.train;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Where the loop reports its progress: a progress bar with step, loss, steps/s and ETA on a terminal, plain
 * log lines otherwise (logs, CI, tests). Both go to stderr, or to the writer given.
 */
public interface Progress extends AutoCloseable {
    /**
     * Called once before the first step with the number of steps already done: non-zero after {@code --resume},
     * so that the bar shows the run's true position and steps/s and the ETA count only the steps of this session.
     */
    void startAt(long stepsDone);

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

    /** me.tongfei's progress bar, made at {@link #startAt} (or the first update) so that it starts where the run does. */
    final class Bar implements Progress {
        private final String task;
        private final long total;
        private final PrintStream stream;
        private long start;
        private ProgressBar bar;

        Bar(String task, long start, long total, PrintStream stream) {
            this.task = task;
            this.start = start;
            this.total = total;
            this.stream = stream;
        }

        @Override public void startAt(long stepsDone) {
            if (bar == null) start = stepsDone;
        }

        private ProgressBar bar() {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).startsFrom(start, java.time.Duration.ZERO)
                        .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(stream))
                        .showSpeed().setUnit(" steps", 1).build();
            }
            return bar;
        }

        @Override public void update(long stepsDone, double loss) {
            bar().stepTo(stepsDone);
            bar.setExtraMessage(String.format(Locale.ROOT, "  loss %.4g", loss));
        }

        @Override public void message(String text) {
            if (bar == null) stream.println(task + ": " + text);   // before the bar exists (resuming, say)
            else bar.setExtraMessage("  " + text);
        }

        @Override public void close() { if (bar != null) bar.close(); }
    }

    /** "step 120/3000  loss 0.4123  35.2 steps/s  ETA 1m22s" every logEvery steps. */
    final class Lines implements Progress {
        private final String task;
        private final long total;
        private final int every;
        private final PrintWriter out;
        private final LongSupplier nanoClock;
        private long start, t0;

        Lines(String task, long start, long total, int every, PrintWriter out) {
            this(task, start, total, every, out, System::nanoTime);
        }

        Lines(String task, long start, long total, int every, PrintWriter out, LongSupplier nanoClock) {
            this.task = task;
            this.start = start;
            this.total = total;
            this.every = Math.max(1, every);
            this.out = out;
            this.nanoClock = nanoClock;
            this.t0 = nanoClock.getAsLong();
        }

        @Override public void startAt(long stepsDone) {
            start = stepsDone;
            t0 = nanoClock.getAsLong();
        }

        @Override public void update(long stepsDone, double loss) {
            if (stepsDone % every != 0 && stepsDone != total) return;
            double seconds = (nanoClock.getAsLong() - t0) / 1e9;
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
