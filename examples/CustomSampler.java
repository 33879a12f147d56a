// Write a sampler in 30 lines and measure its order: the explicit midpoint method on the probability-flow ODE
// dy/dsigma = (y - D(y; sigma)) / sigma over Karras et al.'s noise levels (second order, 2 NFE per step), added to
// the convergence table with one line. On the Gaussian it measures 3.0, not 2: chapter 7, exercise 3 asks why.
//
//   ./d4j example custom-sampler [--tiny]
import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.sampler.SampleRequest;
import org.diffusion4j.diffusion.sampler.SampleResult;
import org.diffusion4j.diffusion.sampler.Sampler;
import org.diffusion4j.diffusion.schedule.NoiseLevels;
import org.diffusion4j.experiments.course.ConvergenceCases;
import org.diffusion4j.experiments.course.ConvergenceStudy;
import org.diffusion4j.experiments.course.SamplerPath;
import org.diffusion4j.tensor.Tensor;

import java.util.List;

public class CustomSampler {
    /** Midpoint steps between noise levels s > s'; the last step to sigma = 0 returns D (as edm-heun does). */
    static final class Midpoint implements Sampler {
        private final double[] sigmas;

        Midpoint(double[] sigmas) { this.sigmas = sigmas.clone(); }

        @Override public String name() { return "midpoint"; }

        @Override public SampleResult sample(Denoiser model, SampleRequest request) {
            Tensor x = request.initialNoise().mul(sigmas[0]);
            long nfe = 0;
            for (int i = 0; i + 1 < sigmas.length; i++) {
                double s = sigmas[i], next = sigmas[i + 1], h = next - s;
                Tensor d = model.denoise(x, s);
                nfe++;
                if (next == 0) { x = d; break; }
                double mid = s + h / 2;
                Tensor xMid = Tensor.linearCombination(1 + h / (2 * s), x, -h / (2 * s), d, 0, null);   // half an Euler step
                Tensor dMid = model.denoise(xMid, mid);
                nfe++;
                x = Tensor.linearCombination(1, x, h / mid, xMid, -h / mid, dMid);   // full step with the midpoint slope
            }
            return new SampleResult(x, nfe);
        }
    }

    public static void main(String[] args) {
        int samples = List.of(args).contains("--tiny") ? 4 : 64;
        // the one line that adds a sampler to the order table: its path (Karras levels, ends with D) and bands
        ConvergenceCases.Case midpoint = new ConvergenceCases.Case("midpoint", steps -> {
            double[] s = NoiseLevels.karras(steps, 0.002, 80, 7);
            return new SamplerPath(new Midpoint(s), s[0], s[0], 1, s[s.length - 2], 1, true);
        }, new int[]{8, 16, 32, 64, 128}, 2, new ConvergenceCases.Band(1.8, 3.3), new ConvergenceCases.Band(1.5, 3.3));
        GaussianMixture data = AnalyticModels.gaussian2d();
        ConvergenceStudy.Curve c = new ConvergenceStudy(data, ConvergenceStudy.referenceFlow(data), 1).deterministic(midpoint, samples);
        System.out.println(c.points());
        System.out.printf("midpoint: measured order %.2f (theory at least 2, band %s)%n", c.order(), midpoint.gaussian());
        if (!midpoint.gaussian().contains(c.order())) throw new AssertionError("midpoint lost its order: " + c.order());
    }
}
