package org.diffusion4j.benchmarks.sidebyside;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sampling-loop guard's decision, as pure functions of numbers (so it is tested with synthetic data).
 *
 * <p>Each benchmark has a baseline and a current set of single-shot times. Their run-to-run spread is the relative
 * standard deviation s = std / mean (sample std, n - 1). A benchmark is a <b>regression</b> when its current mean is
 * slower than the baseline mean by more than
 * <pre>  threshold = max(3 max(s_baseline, s_current), 10%)</pre>
 * i.e. change = current / baseline - 1 &gt; threshold. Three spreads keep a noisy machine from failing the guard by
 * chance; the 10% floor keeps a quiet one from failing on a few percent of drift.
 */
public final class GuardComparison {
    /** The floor of the threshold: slowdowns up to 10% never fail. */
    public static final double MIN_THRESHOLD = 0.10;
    /** How many relative standard deviations a slowdown must exceed. */
    public static final double SPREADS = 3;

    private GuardComparison() { }

    /** One benchmark's times: mean (ms), relative standard deviation, and the samples themselves. */
    public record Measurement(double meanMs, double relativeStd, double[] samplesMs) {
        public static Measurement of(double[] samplesMs) {
            if (samplesMs.length < 2) throw new IllegalArgumentException("a spread needs at least 2 samples, got " + samplesMs.length);
            double sum = 0;
            for (double v : samplesMs) {
                if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException("times must be finite and > 0, got " + v);
                sum += v;
            }
            double mean = sum / samplesMs.length, squares = 0;
            for (double v : samplesMs) squares += (v - mean) * (v - mean);
            return new Measurement(mean, Math.sqrt(squares / (samplesMs.length - 1)) / mean, samplesMs.clone());
        }
    }

    /** The verdict on one benchmark. */
    public record Verdict(String benchmark, double baselineMs, double currentMs, double change, double threshold, boolean regression) {
        public String line() {
            return String.format(java.util.Locale.ROOT, "%-40s baseline %10.1f ms  now %10.1f ms  change %+6.1f%%  threshold %5.1f%%  %s",
                    benchmark, baselineMs, currentMs, 100 * change, 100 * threshold, regression ? "SLOWER" : "ok");
        }
    }

    public static double threshold(double baselineRelativeStd, double currentRelativeStd) {
        return Math.max(SPREADS * Math.max(baselineRelativeStd, currentRelativeStd), MIN_THRESHOLD);
    }

    public static Verdict judge(String benchmark, Measurement baseline, Measurement current) {
        double change = current.meanMs() / baseline.meanMs() - 1;
        double limit = threshold(baseline.relativeStd(), current.relativeStd());
        return new Verdict(benchmark, baseline.meanMs(), current.meanMs(), change, limit, change > limit);
    }

    /**
     * Every baseline benchmark judged against the current run. A benchmark of the baseline that the run lacks is an
     * error (the guard must not pass by measuring less); extra current benchmarks are ignored.
     */
    public static List<Verdict> compare(Map<String, Measurement> baseline, Map<String, Measurement> current) {
        if (baseline.isEmpty()) throw new IllegalArgumentException("the baseline holds no benchmarks");
        List<Verdict> out = new ArrayList<>();
        for (Map.Entry<String, Measurement> e : baseline.entrySet()) {
            Measurement now = current.get(e.getKey());
            if (now == null) throw new IllegalArgumentException("benchmark '" + e.getKey() + "' is in the baseline but was not run (ran: "
                    + current.keySet() + ")");
            out.add(judge(e.getKey(), e.getValue(), now));
        }
        return out;
    }

    public static boolean anyRegression(List<Verdict> verdicts) {
        for (Verdict v : verdicts) if (v.regression()) return true;
        return false;
    }
}
