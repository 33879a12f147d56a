package org.diffusion4j.experiments.figures;

import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.sampler.SampleRequest;
import org.diffusion4j.diffusion.sampler.Samplers;
import org.diffusion4j.experiments.course.GuidedMixture;
import org.diffusion4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Classifier-free guidance (Ho &amp; Salimans 2022, eq. 6) with exact scores: the 8-Gaussian mixture split into two
 * classes (components 0..3, the modes at 0, 45, 90 and 135 degrees, against 4..7; see GuidedMixture), sampled towards the first with
 * edm-heun at guidance weights w = 0 (unconditional), 1 (conditional), 3 and 8.
 */
final class GuidanceFigure implements Figure {
    @Override public String name() { return "guidance"; }

    @Override public String description() { return "classifier-free guidance weight on a two-class mixture, w = 0, 1, 3, 8"; }

    @Override public void draw(Path out, boolean tiny) throws IOException {
        int n = tiny ? 16 : 600;
        GaussianMixture all = AnalyticModels.eightGaussians();
        List<Panel> panels = new ArrayList<>();
        for (double w : new double[]{0, 1, 3, 8}) {
            GuidedMixture model = GuidedMixture.halves(all, w);
            Tensor x = Samplers.byName("edm-heun", Map.of("steps", tiny ? "6" : "32")).sample(model, SampleRequest.of(9, n, 2)).samples();
            Points p = Points.of(x);
            panels.add(new Panel(String.format(Locale.ROOT, "w = %.0f%s", w, w == 0 ? " (unconditional)" : w == 1 ? " (conditional)" : ""))
                    .range(-3, 3, -3, 3).equalAspect().dots(p.x(), p.y(), Panel.PALETTE[w == 0 ? 0 : 1], 1.3, 0.5, null));
        }
        SvgFigure.write(out, panels, 4, "D_w = D_u + w (D_c - D_u) with exact denoisers; class c = the modes at 0, 45, 90, 135 degrees;"
                + " edm-heun; d4j figure guidance");
    }
}
