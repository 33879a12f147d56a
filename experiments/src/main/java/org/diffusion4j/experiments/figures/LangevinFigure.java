package org.diffusion4j.experiments.figures;

import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.schedule.NoiseLevels;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Langevin dynamics x &lt;- x + (alpha / 2) grad log p(x; sigma) + sqrt(alpha) z with the exact score of a two-mode
 * mixture (weights 0.2 at (-2, -2) and 0.8 at (2, 2), std 0.3, as Song &amp; Ermon 2019, Fig. 3), traced step by step (the update of AnnealedLangevinSampler, Song &amp; Ermon 2019, Algorithm 1): left, at
 * the single smallest noise level from a wide start; right, annealed over geometric levels 3 ... 0.05 with
 * alpha_i = eps sigma_i^2 / sigma_L^2. The same starts and the same number of steps in both.
 */
final class LangevinFigure implements Figure {
    static final double SIGMA_MAX = 3, SIGMA_MIN = 0.05, EPSILON = 1e-3;

    @Override public String name() { return "langevin"; }

    @Override public String description() { return "Langevin trajectories at one noise level against annealed Langevin (NCSN)"; }

    @Override public void draw(Path out, boolean tiny) throws IOException {
        // Song & Ermon 2019, Sec. 3.2 and Fig. 3: two modes of weights 0.2 and 0.8
        GaussianMixture data = new GaussianMixture("two-modes", new double[]{0.2, 0.8}, new double[][]{{-2, -2}, {2, 2}},
                new double[][][]{AnalyticModels.isotropic(2, 0.09), AnalyticModels.isotropic(2, 0.09)});
        int levels = 10, perLevel = tiny ? 5 : 100, n = tiny ? 16 : 400, traced = 6;
        double[] sigmas = NoiseLevels.geometric(SIGMA_MAX, SIGMA_MIN, levels);
        Tensor start = Tensor.randn(Backends.cpu(), DType.F64, 5, 0, n, 2).mul(SIGMA_MAX);
        Panel plain = new Panel("sigma = " + SIGMA_MIN + " only").range(-3.5, 3.5, -3.5, 3.5).equalAspect();
        Panel annealed = new Panel("annealed, sigma 3 ... 0.05").range(-3.5, 3.5, -3.5, 3.5).equalAspect();
        double[] onlySmallest = new double[levels];
        java.util.Arrays.fill(onlySmallest, SIGMA_MIN);
        trace(data, plain, start, onlySmallest, perLevel, traced);
        trace(data, annealed, start, sigmas, perLevel, traced);
        SvgFigure.write(out, List.of(plain, annealed), 2, levels * perLevel + " steps each, eps = " + EPSILON
                + "; lines: the second half of " + traced + " trajectories, dots: final positions of " + n + " chains; d4j figure langevin");
    }

    private static void trace(GaussianMixture data, Panel panel, Tensor start, double[] sigmas, int perLevel, int traced) {
        int n = start.shape(0);
        List<double[]> path = new ArrayList<>();
        Tensor x = start;
        path.add(x.toDoubleArray());
        long step = 0;
        for (double sigma : sigmas) {
            double alpha = EPSILON * sigma * sigma / (SIGMA_MIN * SIGMA_MIN);
            for (int k = 0; k < perLevel; k++) {
                Tensor z = Tensor.randn(Backends.cpu(), DType.F64, 100 + step++, 0, n, 2);
                x = Tensor.linearCombination(1, x, alpha / 2, data.score(x, sigma), Math.sqrt(alpha), z);
                path.add(x.toDoubleArray());
            }
        }
        // trajectories from the second half of the steps on (the first levels jump across the whole plane)
        for (int i = 0; i < Math.min(traced, n); i++) {
            int from = path.size() / 2;
            double[] px = new double[path.size() - from], py = new double[path.size() - from];
            for (int s = from; s < path.size(); s++) { px[s - from] = path.get(s)[2 * i]; py[s - from] = path.get(s)[2 * i + 1]; }
            panel.line(px, py, Panel.PALETTE[i % Panel.PALETTE.length], 0.8, null);
        }
        int[] comp = data.assignComponents(x.toDoubleArray());
        int inSmall = 0;
        for (int c : comp) if (c == 0) inSmall++;
        panel.retitle(String.format(java.util.Locale.ROOT, "%s: %.0f%% in the 20%% mode", panel.title(), 100.0 * inSmall / n));
        Points end = Points.of(x);
        panel.dots(end.x(), end.y(), "#000000", 1.2, 0.6, null);
    }
}
