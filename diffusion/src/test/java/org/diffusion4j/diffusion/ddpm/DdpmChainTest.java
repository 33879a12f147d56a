package org.diffusion4j.diffusion.ddpm;

import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class DdpmChainTest {
    private final Backend cpu = Backends.cpu();

    @Test
    void posteriorIsTheGaussianConditionalOfTheForwardChain() {
        // q(x_{t-1} | x_t, x_0) from Bayes' rule on scalars: x_{t-1} = a' x0 + b' e1, x_t = sqrt(alpha_t) x_{t-1} + sqrt(beta_t) e2
        DiscreteSchedule s = DiscreteSchedule.cosine(33);
        DdpmChain chain = new DdpmChain(s);
        for (int i : new int[]{1, 17, 32}) {
            double abPrev = s.alphaBar(i - 1), alpha = s.alpha(i), beta = s.beta(i);
            // prior on x_{t-1} given x0: mean sqrt(abPrev) x0, variance 1 - abPrev; likelihood x_t | x_{t-1}: N(sqrt(alpha) x_{t-1}, beta)
            double priorPrec = 1 / (1 - abPrev), likPrec = alpha / beta;
            double var = 1 / (priorPrec + likPrec);
            double c0 = var * priorPrec * Math.sqrt(abPrev), ct = var * Math.sqrt(alpha) / beta;
            DdpmChain.Posterior p = chain.posterior(i);
            assertEquals(var, p.betaTilde(), 1e-12 * var);
            assertEquals(c0, p.x0Coefficient(), 1e-12);
            assertEquals(ct, p.xtCoefficient(), 1e-12);
            assertEquals(beta, p.beta(), 1e-15);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> chain.posterior(3, 3));
        assertTrue(e.getMessage().contains("prev=3"));
    }

    @Test
    void qSampleHasTheMarginalMoments() {
        DiscreteSchedule s = DiscreteSchedule.ddpmLinear();
        DdpmChain chain = new DdpmChain(s);
        int n = 20000;
        Tensor x0 = Tensor.full(cpu, DType.F64, 1.5, n, 1);
        Tensor eps = Tensor.randn(cpu, DType.F64, 3, 0, n, 1);
        double[] xt = chain.qSample(x0, eps, 300).toDoubleArray();
        double mean = 0, var = 0;
        for (double v : xt) mean += v / n;
        for (double v : xt) var += (v - mean) * (v - mean) / (n - 1);
        double ab = s.alphaBar(300);
        assertEquals(Math.sqrt(ab) * 1.5, mean, 5 * Math.sqrt((1 - ab) / n));
        assertEquals(1 - ab, var, 5 * (1 - ab) * Math.sqrt(2.0 / n));
    }

    /**
     * Gaussian data x_0 ~ N(m, diag(s^2)) and the exact denoiser: every term of the bound has a closed form, because
     * E (x_0 - E[x_0 | x_t])^2 is the posterior variance s^2 sigma_t^2 / (s^2 + sigma_t^2) per dimension. The Monte
     * Carlo estimate must agree within 5 standard errors.
     */
    @Test
    void boundOnGaussianDataWithTheExactDenoiserMatchesTheClosedForm() {
        double[] m = {0.3, -0.2, 0.1};
        double[] sd = {0.5, 0.25, 0.4};
        double[][] cov = new double[3][3];
        for (int j = 0; j < 3; j++) cov[j][j] = sd[j] * sd[j];
        GaussianMixture data = GaussianMixture.gaussian("diag", m, cov);
        DiscreteSchedule s = DiscreteSchedule.linear(100, 1e-3, 0.2);
        DdpmChain chain = new DdpmChain(s);
        int n = 3000;
        Tensor x0 = data.sample(cpu, DType.F64, n, 5, 0);
        for (ReverseVariance kind : ReverseVariance.values()) {
            DdpmChain.VariationalBound b = chain.variationalBound(data, x0, kind, 77, false);
            double closed = 0;
            for (int j = 0; j < 3; j++) {
                double s2 = sd[j] * sd[j];
                double abT = s.alphaBar(99);
                closed += 0.5 * (abT * (m[j] * m[j] + s2) + (1 - abT) - 1 - Math.log(1 - abT));
                for (int i = 1; i < 100; i++) {
                    DdpmChain.Posterior p = chain.posterior(i);
                    double var = p.variance(kind), sig2 = s.sigma(i) * s.sigma(i);
                    double v = s2 * sig2 / (s2 + sig2);
                    closed += 0.5 * (Math.log(var / p.betaTilde()) + p.betaTilde() / var - 1)
                            + p.x0Coefficient() * p.x0Coefficient() * v / (2 * var);
                }
                double var1 = kind == ReverseVariance.BETA ? s.beta(0) : chain.posterior(1).betaTilde();
                double sig2 = s.sigma(0) * s.sigma(0);
                closed += 0.5 * Math.log(2 * Math.PI * var1) + s2 * sig2 / (s2 + sig2) / (2 * var1);
            }
            double closedBitsPerDim = closed / 3 / Math.log(2);
            double[] per = b.perSampleNatsPerDim();
            double mean = 0, var = 0;
            for (double v : per) mean += v / n;
            for (double v : per) var += (v - mean) * (v - mean) / (n - 1);
            double se = Math.sqrt(var / n) / Math.log(2);
            assertEquals(closedBitsPerDim, b.bitsPerDim(), 5 * se, kind + ": bound " + b.bitsPerDim() + " vs closed form "
                    + closedBitsPerDim + " (standard error " + se + ")");
        }
    }

    @Test
    void discretisedDecoderMatchesQuadratureOfTheGaussian() {
        double sd = 0.01;
        double half = 1.0 / 255;
        for (double[] c : new double[][]{{-1 + 2.0 * 100 / 255, -1 + 2.0 * 100 / 255 + 0.004}, {-1, -0.995}, {1, 0.97},
                {0.2, 0.26}}) {
            double x = c[0], mu = c[1];
            double lo = x <= -1 ? mu - 40 * sd : x - half, hi = x >= 1 ? mu + 40 * sd : x + half;
            double ref = Math.log(simpson(v -> Math.exp(-0.5 * (v - mu) * (v - mu) / (sd * sd)) / (sd * Math.sqrt(2 * Math.PI)), lo, hi));
            double got = DdpmChain.discretisedGaussianLogLikelihood(x, mu, sd);
            assertEquals(ref, got, 1e-5 * Math.max(1, Math.abs(ref)), "x=" + x + ", mu=" + mu);
        }
    }

    @Test
    void standardNormalCdfMatchesKnownValues() {
        // Phi(1) = 0.8413447460685429, Phi(-2) = 0.022750131948179195, Phi(3.5) = 0.9997673709209645 (tables)
        assertEquals(0.8413447460685429, StandardNormal.cdf(1), 2e-7);
        assertEquals(0.022750131948179195, StandardNormal.cdf(-2), 0.022750131948179195 * 2e-7);
        assertEquals(0.9997673709209645, StandardNormal.cdf(3.5), 2e-7);
        // far tail: log P(Z > 8) = log(6.22096057427e-16)
        assertEquals(Math.log(6.22096057427e-16), StandardNormal.logProbability(8, Double.POSITIVE_INFINITY), 1e-6);
    }

    private static double simpson(java.util.function.DoubleUnaryOperator f, double a, double b) {
        int n = 20000;
        double h = (b - a) / n, s = f.applyAsDouble(a) + f.applyAsDouble(b);
        for (int i = 1; i < n; i++) s += (i % 2 == 1 ? 4 : 2) * f.applyAsDouble(a + i * h);
        return s * h / 3;
    }
}
