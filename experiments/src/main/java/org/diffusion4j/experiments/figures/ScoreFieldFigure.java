package org.diffusion4j.experiments.figures;

import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The exact score of the noised 8-Gaussian mixture (GaussianMixture.score) as arrows on a grid, at three noise levels.
 * An arrow is 0.3 sigma^2 grad log p(x; sigma) = 0.3 (D(x; sigma) - x): three tenths of the way to the denoiser's
 * answer (Tweedie's formula), so lengths are comparable across noise levels.
 */
final class ScoreFieldFigure implements Figure {
    @Override public String name() { return "score-field"; }

    @Override public String description() { return "the exact score of the noised 8-Gaussian mixture as arrows, at sigma = 0.2, 0.7, 2"; }

    @Override public void draw(Path out, boolean tiny) throws IOException {
        GaussianMixture data = AnalyticModels.eightGaussians();
        int g = tiny ? 5 : 21;
        double[] grid = new double[g * g * 2];
        for (int i = 0; i < g; i++) for (int j = 0; j < g; j++) {
            grid[2 * (i * g + j)] = -3 + 6.0 * j / (g - 1);
            grid[2 * (i * g + j) + 1] = -3 + 6.0 * i / (g - 1);
        }
        Tensor x = Tensor.of(Backends.cpu(), DType.F64, grid, g * g, 2);
        Tensor x0 = data.sample(Backends.cpu(), DType.F64, tiny ? 32 : 800, 3, 0);
        List<Panel> panels = new ArrayList<>();
        for (double sigma : new double[]{0.2, 0.7, 2.0}) {
            Tensor noised = Tensor.linearCombination(1, x0, sigma, Tensor.randn(Backends.cpu(), DType.F64, 4, 0, x0.shape()), 0, null);
            Points p = Points.of(noised);
            Panel panel = new Panel(String.format(Locale.ROOT, "sigma = %.1f", sigma)).range(-3.3, 3.3, -3.3, 3.3).equalAspect()
                    .dots(p.x(), p.y(), "#999999", 1.0, 0.35, null);
            double[] s = data.score(x, sigma).toDoubleArray();
            for (int k = 0; k < g * g; k++) {
                double c = 0.3 * sigma * sigma;
                panel.arrow(grid[2 * k], grid[2 * k + 1], c * s[2 * k], c * s[2 * k + 1], Panel.PALETTE[0]);
            }
            panels.add(panel);
        }
        SvgFigure.write(out, panels, 3, "arrows: 0.3 sigma^2 grad log p(x; sigma) = 0.3 (D(x; sigma) - x); grey: draws of x_0 + sigma n;"
                + " d4j figure score-field");
    }
}
