package org.diffusion4j.experiments.course;

import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs every case of {@link ConvergenceCases} on the analytic models and writes the order table (Markdown) that
 * docs/course/07-samplers.md shows; the figure "convergence" draws the same curves.
 */
public final class ConvergenceReport {
    private ConvergenceReport() { }

    /**
     * Sizes of one run: samples per deterministic point, and per stochastic point on one Gaussian and on a mixture
     * (whose exact score costs K times more; its Monte Carlo floor is correspondingly higher).
     */
    public record Sizes(int deterministicSamples, int stochasticSamples, int mixtureStochasticSamples) {
        public static final Sizes FULL = new Sizes(64, 100_000, 25_000);
        public static final Sizes TINY = new Sizes(4, 2_000, 500);
    }

    /** The curves of one model. */
    public record ModelCurves(String model, List<ConvergenceStudy.Curve> deterministic, List<ConvergenceStudy.Curve> stochastic) { }

    public static ModelCurves measure(GaussianMixture model, Sizes sizes, boolean withStochastic) {
        ConvergenceStudy study = new ConvergenceStudy(model, ConvergenceStudy.referenceFlow(model), 7);
        List<ConvergenceStudy.Curve> det = new ArrayList<>(), sto = new ArrayList<>();
        for (ConvergenceCases.Case c : ConvergenceCases.DETERMINISTIC) det.add(study.deterministic(c, sizes.deterministicSamples()));
        int stochasticSamples = model.components() == 1 ? sizes.stochasticSamples() : sizes.mixtureStochasticSamples();
        if (withStochastic) for (ConvergenceCases.StochasticCase c : ConvergenceCases.STOCHASTIC) sto.add(study.stochastic(c, stochasticSamples));
        return new ModelCurves(model.name(), det, sto);
    }

    public static String markdown(List<ModelCurves> all) {
        StringBuilder sb = new StringBuilder();
        sb.append("| sampler | kind | nominal order |");
        for (ModelCurves m : all) sb.append(" order on ").append(m.model()).append(" |");
        sb.append(" NFE range |\n| --- | --- | --- |");
        for (int i = 0; i < all.size(); i++) sb.append(" --- |");
        sb.append(" --- |\n");
        ModelCurves first = all.get(0);
        for (int i = 0; i < first.deterministic().size(); i++) row(sb, all, i, true);
        for (int i = 0; i < first.stochastic().size(); i++) row(sb, all, i, false);
        return sb.toString();
    }

    private static void row(StringBuilder sb, List<ModelCurves> all, int i, boolean deterministic) {
        ConvergenceStudy.Curve c0 = (deterministic ? all.get(0).deterministic() : all.get(0).stochastic()).get(i);
        sb.append("| ").append(c0.label()).append(" | ").append(deterministic ? "strong (ODE)" : "weak (moments)")
                .append(" | ").append(fmt(c0.nominalOrder())).append(" |");
        for (ModelCurves m : all) {
            List<ConvergenceStudy.Curve> l = deterministic ? m.deterministic() : m.stochastic();
            sb.append(' ').append(i < l.size() ? String.format(Locale.ROOT, "%.2f", l.get(i).order()) : "-").append(" |");
        }
        List<ConvergenceStudy.Point> p = c0.points();
        sb.append(' ').append(p.get(0).nfe()).append("-").append(p.get(p.size() - 1).nfe()).append(" |\n");
    }

    private static String fmt(double v) { return v == Math.rint(v) ? Integer.toString((int) v) : Double.toString(v); }

    /** Prints each curve's points and the table: {@code java ... ConvergenceReport [tiny] [no-stochastic] [gaussian-only]}. */
    public static void main(String[] args) {
        Sizes sizes = List.of(args).contains("tiny") ? Sizes.TINY : Sizes.FULL;
        boolean sto = !List.of(args).contains("no-stochastic");
        List<ModelCurves> all = new ArrayList<>();
        List<GaussianMixture> models = List.of(args).contains("gaussian-only") ? List.of(AnalyticModels.gaussian2d())
                : List.of(AnalyticModels.gaussian2d(), AnalyticModels.eightGaussians());
        for (GaussianMixture m : models) {
            long t0 = System.nanoTime();
            ModelCurves mc = measure(m, sizes, sto);
            all.add(mc);
            for (ConvergenceStudy.Curve c : mc.deterministic()) System.out.println(m.name() + " " + c);
            for (ConvergenceStudy.Curve c : mc.stochastic()) System.out.println(m.name() + " " + c);
            System.out.printf(Locale.ROOT, "%s took %.1f s%n", m.name(), (System.nanoTime() - t0) / 1e9);
        }
        System.out.print(markdown(all));
    }
}
