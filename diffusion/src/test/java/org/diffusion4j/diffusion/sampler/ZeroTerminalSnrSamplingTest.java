package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.diffusion.ddpm.ReverseVariance;
import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.model.MixtureChecks;
import org.diffusion4j.diffusion.net.NoiseConditionalNetwork;
import org.diffusion4j.diffusion.param.NetworkDenoiser;
import org.diffusion4j.diffusion.param.NoiseConditioning;
import org.diffusion4j.diffusion.param.Parameterisation;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.schedule.TimestepSpacing;
import org.diffusion4j.nn.Module;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Sampling a schedule rescaled to zero terminal SNR from its last timestep (Lin et al. 2023): the first step sees pure
 * noise and must take x_0's estimate from the model's pure-noise answer.
 */
class ZeroTerminalSnrSamplingTest {
    private final DiscreteSchedule zsnr = DiscreteSchedule.linear(1000, 1e-4, 0.02).rescaledToZeroTerminalSnr();

    @Test
    void ddimAndDdpmFromTheLastTimestepReproduceTheMixture() {
        GaussianMixture g = AnalyticModels.eightGaussians();
        for (Sampler s : new Sampler[]{new DdimSampler(zsnr, 50, TimestepSpacing.TRAILING, 0),
                new DdpmSampler(zsnr, 100, TimestepSpacing.TRAILING, ReverseVariance.BETA_TILDE)}) {
            SampleResult r = s.sample(g, SampleRequest.of(21, 2000, 2));
            MixtureChecks.assertMatches(g, r.samples().toDoubleArray(), 0.03);
        }
    }

    @Test
    void onlyVAndX0NetworksCanAnswerAtZeroSnr() {
        // a "network" whose output is the constant -0.7: with v-prediction at a = 0, s = 1, D = -F = 0.7
        NoiseConditionalNetwork constant = new NoiseConditionalNetwork() {
            @Override public Variable forward(Variable x, Tensor c, Conditioning condition) { return Variable.constant(x.value().fullLike(-0.7)); }

            @Override public Module module() { throw new UnsupportedOperationException(); }
        };
        Tensor x = Tensor.randn(Backends.cpu(), DType.F64, 1, 0, 3, 2);
        double[] d = new NetworkDenoiser(constant, Parameterisation.V, zsnr, NoiseConditioning.time(1)).denoiseFromPureNoise(x).toDoubleArray();
        for (double v : d) assertEquals(0.7, v, 1e-15);
        var e = assertThrows(UnsupportedOperationException.class,
                () -> new NetworkDenoiser(constant, Parameterisation.EPSILON, zsnr, NoiseConditioning.time(1)).denoiseFromPureNoise(x));
        assertTrue(e.getMessage().contains("epsilon"));
        e = assertThrows(UnsupportedOperationException.class, () -> new NetworkDenoiser(constant, Parameterisation.V,
                DiscreteSchedule.ddpmLinear(), NoiseConditioning.time(1)).denoiseFromPureNoise(x));
        assertTrue(e.getMessage().contains("zero terminal SNR"));
    }
}
