// Train a small score network on the 8-Gaussian mixture, sample it with DDIM, and compare the samples with the
// exact mixture: how many land near a mode, and the average exact log-density of the samples.
//
//   ./d4j example train-and-sample          (about a minute on 2 cores)
//   ./d4j example train-and-sample --tiny   (a few seconds; what CI runs)
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.net.MlpScoreNetwork;
import org.diffusion4j.diffusion.objective.DenoisingObjective;
import org.diffusion4j.diffusion.objective.Weighting;
import org.diffusion4j.diffusion.param.Parameterisation;
import org.diffusion4j.diffusion.sampler.SampleRequest;
import org.diffusion4j.diffusion.sampler.Samplers;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.nn.Init;
import org.diffusion4j.optim.AdamW;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

import java.util.List;
import java.util.Map;

public class TrainAndSample {
    @SuppressWarnings("try")
    public static void main(String[] args) {
        boolean tiny = List.of(args).contains("--tiny");
        int steps = tiny ? 20 : 1500, batch = 256;
        GaussianMixture data = AnalyticModels.eightGaussians();

        // chapter 2: L_simple, the epsilon loss with unit weight on the DDPM chain
        DenoisingObjective objective = DenoisingObjective.ddpm(DiscreteSchedule.ddpmLinear(), Parameterisation.EPSILON, Weighting.simple());
        MlpScoreNetwork net;
        try (Init init = Init.seeded(1, Backends.cpu(), DType.F32)) {
            net = new MlpScoreNetwork(2, 128, 3, 64);
        }
        AdamW optimiser = new AdamW(net.namedParameters(), 2e-3);
        for (int step = 0; step < steps; step++) {
            Tensor x0 = data.sample(Backends.cpu(), DType.F32, batch, 100 + step, 0);
            optimiser.zeroGrad();
            Variable loss = objective.loss(net, x0, null, 1_000_000L + step);
            loss.backward();
            optimiser.step();
            if (step % Math.max(1, steps / 5) == 0) System.out.printf("step %4d  loss %.4f%n", step, loss.value().item());
        }

        // chapter 7: sample the trained model with DDIM (50 steps), then score the samples with the exact mixture
        net.eval();
        int n = tiny ? 64 : 2000;
        Tensor samples = Samplers.byName("ddim", Map.of("steps", "50"))
                .sample(objective.denoiser(net), SampleRequest.of(Backends.cpu(), DType.F32, 7, n, 2)).samples();
        double[] xy = samples.toDoubleArray();
        int near = 0;
        for (int i = 0; i < n; i++) {
            double r = Math.hypot(xy[2 * i], xy[2 * i + 1]);
            if (Math.abs(r - 2) < 0.3) near++;   // the modes lie on the circle of radius 2, std 0.1
        }
        Tensor f64 = Tensor.of(Backends.cpu(), DType.F64, xy, n, 2);
        double model = data.logDensity(f64).mean().item();
        double exact = data.logDensity(data.sample(Backends.cpu(), DType.F64, n, 99, 0)).mean().item();
        System.out.printf("%d samples: %.1f%% within 0.3 of the circle of modes; mean exact log-density %.3f (exact samples: %.3f)%n",
                n, 100.0 * near / n, model, exact);
    }
}
