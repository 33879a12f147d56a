// Chapter 5.5: the log-likelihood of data points by the probability-flow ODE and the instantaneous change of
// variables, with the exact score of the 8-Gaussian mixture, against the mixture's closed-form density.
//
//   ./d4j example exact-likelihood [--tiny]
import org.diffusion4j.diffusion.likelihood.ProbabilityFlowLikelihood;
import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.sde.VpSde;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

import java.util.List;

public class ExactLikelihood {
    public static void main(String[] args) {
        int n = List.of(args).contains("--tiny") ? 4 : 32;
        GaussianMixture data = AnalyticModels.eightGaussians();
        Tensor x = data.sample(Backends.cpu(), DType.F64, n, 3, 0);

        // log p_0(x) = log p_T(x(T)) + int_0^T div f~(x(t), t) dt, integrated by RK45; probe null = exact trace
        ProbabilityFlowLikelihood flow = new ProbabilityFlowLikelihood(new VpSde(), 1e-5, 1e-6, 1e-6, null);
        ProbabilityFlowLikelihood.Result r = flow.logLikelihood(data, x, 11);

        double[] ode = r.logLikelihood().toDoubleArray(), exact = data.logDensity(x).toDoubleArray();
        double worst = 0;
        for (int i = 0; i < n; i++) {
            if (i < 4) System.out.printf("point %d: ODE %.5f  exact %.5f  nats%n", i, ode[i], exact[i]);
            worst = Math.max(worst, Math.abs(ode[i] - exact[i]));
        }
        System.out.printf("%d points, NFE %d: mean log-likelihood %.5f (exact %.5f), largest difference %.2e nats%n",
                n, r.nfe(), -r.meanNll(), data.logDensity(x).mean().item(), worst);
    }
}
