package org.diffusion4j.experiments.figures;

import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.sde.VpSde;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Draws of x_t = alpha(t) x_0 + sigma(t) eps on the VP SDE (VpSde.perturb) from the 8-Gaussian mixture at several t. */
final class ForwardProcessFigure implements Figure {
    @Override public String name() { return "forward-process"; }

    @Override public String description() { return "the VP forward process on the 8-Gaussian mixture at t = 0 ... 1"; }

    @Override public void draw(Path out, boolean tiny) throws IOException {
        GaussianMixture data = AnalyticModels.eightGaussians();
        VpSde sde = new VpSde();
        int n = tiny ? 64 : 2000;
        Tensor x0 = data.sample(Backends.cpu(), DType.F64, n, 1, 0);
        Tensor eps = Tensor.randn(Backends.cpu(), DType.F64, 2, 0, n, 2);
        List<Panel> panels = new ArrayList<>();
        for (double t : new double[]{0, 0.05, 0.1, 0.2, 0.4, 1.0}) {
            Points p = Points.of(sde.perturb(x0, eps, t));
            panels.add(new Panel(String.format(Locale.ROOT, "t = %.2f  (alpha %.2f, sigma %.2f)", t, sde.meanScale(t), sde.std(t)))
                    .range(-3, 3, -3, 3).equalAspect().dots(p.x(), p.y(), Panel.PALETTE[0], 1.2, 0.4, null));
        }
        SvgFigure.write(out, panels, 3, "VP SDE (beta 0.1..20); x_t = alpha(t) x_0 + sigma(t) eps, " + n + " draws; d4j figure forward-process");
    }
}
