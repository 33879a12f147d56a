package org.diffusion4j.experiments.figures;

import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.experiments.course.ConvergenceReport;
import org.diffusion4j.experiments.course.ConvergenceStudy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Error against NFE on log-log axes for every sampler of ConvergenceCases, with the exact score: strong error of the
 * deterministic samplers on the Gaussian and the 8-Gaussian mixture, weak (moment) error of the stochastic ones on the
 * Gaussian. Also writes the order table as Markdown next to the figure (same name, extension .md).
 */
final class ConvergenceFigure implements Figure {
    @Override public String name() { return "convergence"; }

    @Override public String description() { return "error against NFE of every sampler (log-log) and the fitted orders (writes FILE.md too)"; }

    @Override public void draw(Path out, boolean tiny) throws IOException {
        ConvergenceReport.Sizes sizes = tiny ? ConvergenceReport.Sizes.TINY : ConvergenceReport.Sizes.FULL;
        List<GaussianMixture> models = tiny ? List.of(AnalyticModels.gaussian2d())
                : List.of(AnalyticModels.gaussian2d(), AnalyticModels.eightGaussians());
        List<ConvergenceReport.ModelCurves> all = new ArrayList<>();
        for (GaussianMixture m : models) // weak errors on the Gaussian only: on the mixture, 25 000 samples hit their Monte Carlo floor (about 0.03)
        // by 32 steps, so no order can be fitted at a size that draws in minutes (docs/course/07-samplers.md)
        all.add(ConvergenceReport.measure(m, sizes, m.components() == 1));
        List<Panel> panels = new ArrayList<>();
        for (ConvergenceReport.ModelCurves mc : all) {
            panels.add(panel("strong error, " + mc.model(), "RMS |x - x_exact|", mc.deterministic()));
            if (!mc.stochastic().isEmpty()) panels.add(panel("weak error, " + mc.model(), "|mean err| + |cov err|_F", mc.stochastic()));
        }
        SvgFigure.write(out, panels, 3, "exact scores; orders fitted over the last " + ConvergenceStudy.FIT_POINTS
                + " points; dotted: slopes 1 and 2; ddpm and ddim eta=1 coincide (the same chain); d4j figure convergence");
        String name = out.getFileName().toString();
        Path table = out.resolveSibling(name.replaceFirst("\\.[^.]*$", "") + ".md");
        Files.writeString(table, "<!-- written by d4j figure convergence" + (tiny ? " --tiny" : "") + " -->\n"
                + ConvergenceReport.markdown(all), StandardCharsets.UTF_8);
    }

    private static Panel panel(String title, String yLabel, List<ConvergenceStudy.Curve> curves) {
        Panel p = new Panel(title).labels("NFE", yLabel).logX().logY();
        double lo = Double.POSITIVE_INFINITY, hi = 0, top = 0;
        for (int k = 0; k < curves.size(); k++) {
            ConvergenceStudy.Curve c = curves.get(k);
            int n = c.points().size();
            double[] x = new double[n], y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = c.points().get(i).nfe();
                y[i] = c.points().get(i).error();
                lo = Math.min(lo, x[i]); hi = Math.max(hi, x[i]); top = Math.max(top, y[i]);
            }
            String colour = Panel.PALETTE[k % Panel.PALETTE.length];
            p.line(x, y, colour, 1.5, String.format(Locale.ROOT, "%s: %.2f", c.label(), c.order()));
            p.dots(x, y, colour, 2.2, 1, null);
        }
        for (int order = 1; order <= 2; order++) {   // reference slopes through the top-left corner
            p.dashedLine(new double[]{lo, hi}, new double[]{top, top * Math.pow(lo / hi, order)}, "#bbbbbb", 0.8, null);
        }
        return p;
    }
}
