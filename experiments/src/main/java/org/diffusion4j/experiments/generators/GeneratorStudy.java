package org.diffusion4j.experiments.generators;

import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.data.ToyDatasets;
import org.diffusion4j.experiments.metrics.ModeCoverage;
import org.diffusion4j.experiments.report.ScatterPlot;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The results of {@code d4j compare}: one {@link Row} per (model, dataset, seed), summarised per (dataset, model) as
 * mean and standard deviation over the seeds (sample standard deviation, n - 1), with the number of runs that cover
 * every mode. Written as table.md, runs.jsonl and one scatter-DATASET.png per dataset (rows: seeds; columns: the data,
 * then every model).
 */
public final class GeneratorStudy {
    private static final int PANEL = 220;
    private final int minCount;
    private final List<Row> rows = new ArrayList<>();

    public GeneratorStudy(int minCount) { this.minCount = minCount; }

    /**
     * @param trainSeconds  wall-clock seconds of the training loop (checkpoints and grids included)
     * @param trainCpuSeconds CPU seconds of the whole process (all threads) over the training call: unlike the wall
     *                      clock it does not grow when other processes share the cores
     * @param samplesPerSecond samples drawn per second of sampling (network calls and sampler arithmetic)
     * @param points        the scored samples (null when the run diverged)
     */
    public record Row(String model, String dataset, long seed, long steps, double trainSeconds, double trainCpuSeconds, long nfe,
                      double samplesPerSecond, ModeCoverage.Result score, double slicedW1, double[][] points) {
        public static Row diverged(String model, TrainConfig cfg, int modes) {
            return new Row(model, cfg.data().dataset(), cfg.seed(), -1, Double.NaN, Double.NaN, 0, Double.NaN,
                    new ModeCoverage.Result(new int[modes], 0, 0, 0, Double.NaN), Double.NaN, null);
        }

        public String line() {
            return String.format(Locale.ROOT, "%s %s seed %d: %s, sliced W1 %.4f, %d steps in %.1f s (%.1f CPU s), NFE %d, %.0f samples/s",
                    model, dataset, seed, score, slicedW1, steps, trainSeconds, trainCpuSeconds, nfe, samplesPerSecond);
        }

        String json() {
            return String.format(Locale.ROOT, "{\"model\":\"%s\",\"dataset\":\"%s\",\"seed\":%d,\"steps\":%d,\"trainSeconds\":%.3f,\"trainCpuSeconds\":%.3f,"
                            + "\"nfe\":%d,\"samplesPerSecond\":%.1f,\"modesCovered\":%d,\"modes\":%d,\"minCount\":%d,"
                            + "\"highQuality\":%.5f,\"klToUniform\":%s,\"slicedW1\":%s,\"counts\":%s}",
                    model, dataset, seed, steps, trainSeconds, trainCpuSeconds, nfe, samplesPerSecond, score.modesCovered(),
                    score.counts().length, score.minCount(), score.highQuality(), num(score.klToUniform()), num(slicedW1),
                    java.util.Arrays.toString(score.counts()).replace(" ", ""));
        }
    }

    private static String num(double v) { return Double.isFinite(v) ? String.format(Locale.ROOT, "%.5f", v) : "null"; }

    public void add(Row row) { rows.add(row); }

    public List<Row> rows() { return List.copyOf(rows); }

    public void write(Path out, List<String> datasets) throws IOException {
        Files.createDirectories(out);
        StringBuilder jsonl = new StringBuilder();
        for (Row r : rows) jsonl.append(r.json()).append('\n');
        Files.writeString(out.resolve("runs.jsonl"), jsonl);
        Files.writeString(out.resolve("table.md"), table(datasets));
        for (String d : datasets) ImageIO.write(scatter(d), "png", out.resolve("scatter-" + d + ".png").toFile());
    }

    /** The summary table in markdown: per dataset and model, mean +- sd over seeds. */
    public String table(List<String> datasets) {
        StringBuilder s = new StringBuilder();
        s.append("| data | model | seeds | all modes covered | modes covered (min..max) | high-quality fraction | KL to uniform (nats) "
                + "| sliced W1 | NFE | samples/s | train s | train CPU s |\n");
        s.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (String d : datasets) {
            for (String m : models()) {
                List<Row> rs = rows.stream().filter(r -> r.dataset.equals(d) && r.model.equals(m)).toList();
                if (rs.isEmpty()) continue;
                int k = rs.get(0).score.counts().length;
                long full = rs.stream().filter(r -> r.score.modesCovered() == k).count();
                int lo = rs.stream().mapToInt(r -> r.score.modesCovered()).min().orElse(0);
                int hi = rs.stream().mapToInt(r -> r.score.modesCovered()).max().orElse(0);
                s.append(String.format(Locale.ROOT, "| %s | %s | %d | %d/%d | %s (%d..%d) of %d | %s | %s | %s | %d | %.0f | %.0f | %.0f |\n",
                        d, m, rs.size(), full, rs.size(), meanSd(rs.stream().mapToDouble(r -> r.score.modesCovered()).toArray(), 1),
                        lo, hi, k, meanSd(rs.stream().mapToDouble(r -> r.score.highQuality()).toArray(), 3),
                        meanSd(rs.stream().mapToDouble(r -> r.score.klToUniform()).toArray(), 3),
                        meanSd(rs.stream().mapToDouble(Row::slicedW1).toArray(), 3), rs.get(0).nfe,
                        rs.stream().mapToDouble(Row::samplesPerSecond).average().orElse(Double.NaN),
                        rs.stream().mapToDouble(Row::trainSeconds).average().orElse(Double.NaN),
                        rs.stream().mapToDouble(Row::trainCpuSeconds).average().orElse(Double.NaN)));
            }
        }
        s.append("\nmin count ").append(minCount).append(" high-quality samples (within 3 std of the centre) for a covered mode.\n");
        return s.toString();
    }

    /** "mean +- sd" over the finite values (sd with n - 1; only the mean for one value); "n/a" when none is finite. */
    static String meanSd(double[] v, int decimals) {
        double[] f = java.util.Arrays.stream(v).filter(Double::isFinite).toArray();
        if (f.length == 0) return "n/a";
        double mean = java.util.Arrays.stream(f).average().orElseThrow();
        String fmt = "%." + decimals + "f";
        if (f.length == 1) return String.format(Locale.ROOT, fmt, mean);
        double ss = 0;
        for (double x : f) ss += (x - mean) * (x - mean);
        return String.format(Locale.ROOT, fmt + " +- " + fmt, mean, Math.sqrt(ss / (f.length - 1)))
                + (f.length < v.length ? " (" + (v.length - f.length) + " undefined)" : "");
    }

    private List<String> models() {
        Set<String> m = new LinkedHashSet<>();
        for (Row r : rows) m.add(r.model);
        return new ArrayList<>(m);
    }

    private List<Long> seeds(String dataset) {
        Set<Long> s = new LinkedHashSet<>();
        for (Row r : rows) if (r.dataset.equals(dataset)) s.add(r.seed);
        return new ArrayList<>(s);
    }

    /** Rows: seeds; columns: the data (drawn from seed 987654321), then the models in the order they ran. */
    BufferedImage scatter(String dataset) {
        List<String> models = models();
        List<Long> seeds = seeds(dataset);
        int label = 18, cols = models.size() + 1;
        BufferedImage img = new BufferedImage(cols * PANEL, label + Math.max(1, seeds.size()) * PANEL, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.drawString("data: " + dataset, 4, 14);
        for (int c = 0; c < models.size(); c++) g.drawString(models.get(c), (c + 1) * PANEL + 4, 14);
        int n = rows.stream().filter(r -> r.points != null).mapToInt(r -> r.points.length).findFirst().orElse(2000);
        for (int s = 0; s < seeds.size(); s++) {
            int y = label + s * PANEL;
            g.drawImage(ScatterPlot.render(ToyDatasets.sample(dataset, n, 987_654_321L), 2.6, PANEL - 4), 2, y + 2, null);
            for (int c = 0; c < models.size(); c++) {
                final int col = c, row = s;
                Row r = rows.stream().filter(x -> x.dataset.equals(dataset) && x.model.equals(models.get(col))
                        && x.seed == seeds.get(row)).findFirst().orElse(null);
                if (r == null || r.points == null) continue;
                g.drawImage(ScatterPlot.render(r.points, 2.6, PANEL - 4), (c + 1) * PANEL + 2, y + 2, null);
                g.setColor(Color.BLACK);
                g.drawString(String.format(Locale.ROOT, "seed %d: %d/%d modes", r.seed, r.score.modesCovered(),
                        r.score.counts().length), (c + 1) * PANEL + 6, y + PANEL - 8);
            }
        }
        g.dispose();
        return img;
    }
}
