// Chapter 7: two samplers at the same budget of network evaluations, from the same noise, with the exact score of
// the Gaussian: the error of each against the exact endpoint of the probability-flow ODE.
//
//   ./d4j example compare-samplers [--tiny]
import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.experiments.course.ConvergenceCases;
import org.diffusion4j.experiments.course.ConvergenceStudy;

import java.util.List;

public class CompareSamplers {
    public static void main(String[] args) {
        int samples = List.of(args).contains("--tiny") ? 4 : 256;
        GaussianMixture data = AnalyticModels.gaussian2d();
        ConvergenceStudy study = new ConvergenceStudy(data, ConvergenceStudy.referenceFlow(data), 1);
        for (String name : List.of("ddim", "dpm++2m")) {
            ConvergenceCases.Case c = ConvergenceCases.DETERMINISTIC.stream().filter(k -> k.label().equals(name)).findFirst().orElseThrow();
            ConvergenceStudy.Curve curve = study.deterministic(c, samples);
            System.out.printf("%-8s order %.2f:", name, curve.order());
            for (ConvergenceStudy.Point p : curve.points()) System.out.printf("  NFE %3d -> %.2e", p.nfe(), p.error());
            System.out.println();
        }
    }
}
