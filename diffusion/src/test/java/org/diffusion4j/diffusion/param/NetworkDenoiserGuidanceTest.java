package org.diffusion4j.diffusion.param;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.diffusion.net.NoiseConditionalNetwork;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.sde.VeSde;
import org.diffusion4j.nn.Module;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Classifier-free guidance in {@link NetworkDenoiser} (Ho &amp; Salimans 2022, eq. 6). */
class NetworkDenoiserGuidanceTest {
    /** F(x; c, label) = 0.3 x + label + 0.1 c, computed per element; remembers the labels of each call. */
    private static final class LabelNetwork implements NoiseConditionalNetwork {
        final List<int[]> calls = new ArrayList<>();
        private final Module noParameters = new Module() { };

        @Override public Variable forward(Variable x, Tensor c, Conditioning condition) {
            int[] labels = condition.labels();
            calls.add(labels == null ? null : labels.clone());
            double[] l = new double[labels.length];
            for (int i = 0; i < l.length; i++) l[i] = labels[i];
            Tensor perSample = Tensor.of(x.backend(), x.dtype(), l, l.length, 1).add(c.reshape(-1, 1).mul(0.1));
            return x.mul(0.3).add(Variable.constant(perSample));
        }

        @Override public Module module() { return noParameters; }

        static double f(double x, double c, int label) { return 0.3 * x + label + 0.1 * c; }
    }

    @Test
    void guidanceMixesTheConditionalAndUnconditionalDenoisedEstimates() {
        // Variance-exploding process (a = 1, s = sigma) with epsilon prediction: D = y - sigma F; c_noise = sigma.
        LabelNetwork net = new LabelNetwork();
        NetworkDenoiser plain = new NetworkDenoiser(net, Parameterisation.EPSILON, new VeSde(0.01, 50), NoiseConditioning.sigma());
        int[] labels = {3, 7, 0};
        int noClass = 10;
        double w = 2.5, sigma = 0.7;
        Tensor y = Tensor.randn(Backends.cpu(), DType.F64, 13, 0, 3, 3).slice(1, 0, 3, 1).permute(1, 0); // a non-contiguous view
        double[] yv = y.contiguous().toDoubleArray();
        double[] d = plain.withGuidance(labels, noClass, w).denoise(y, sigma).contiguous().toDoubleArray();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double x = yv[i * 3 + j];
                double dCond = x - sigma * LabelNetwork.f(x, sigma, labels[i]);
                double dUncond = x - sigma * LabelNetwork.f(x, sigma, noClass);
                assertEquals(dUncond + w * (dCond - dUncond), d[i * 3 + j], 1e-12, "sample " + i + ", element " + j);
            }
        }
        assertArrayEquals(labels, net.calls.get(0));
        assertArrayEquals(new int[]{10, 10, 10}, net.calls.get(1));
    }

    @Test
    void weightOneIsPlainConditionalSamplingWithOneNetworkCall() {
        LabelNetwork net = new LabelNetwork();
        DiscreteSchedule schedule = DiscreteSchedule.linear(50, 1e-4, 0.2);
        NetworkDenoiser plain = new NetworkDenoiser(net, Parameterisation.X0, schedule, NoiseConditioning.time(1));
        Tensor y = Tensor.randn(Backends.cpu(), DType.F64, 5, 0, 2, 1);
        double sigma = schedule.sigma(17);
        double[] guided = plain.withGuidance(new int[]{4, 1}, 10, 1.0).denoise(y, sigma).toDoubleArray();
        assertEquals(1, net.calls.size());
        double[] conditional = plain.withLabels(new int[]{4, 1}).denoise(y, sigma).toDoubleArray();
        assertArrayEquals(conditional, guided, 0);
        // x0 prediction: D = F at x_t = a y with c_noise = the timestep 17
        double a = 1 / Math.sqrt(1 + sigma * sigma), yv = y.toDoubleArray()[0];
        assertEquals(LabelNetwork.f(a * yv, 17, 4), guided[0], 1e-9);
    }

    @Test
    void badGuidanceArgumentsAreNamed() {
        LabelNetwork net = new LabelNetwork();
        NetworkDenoiser plain = new NetworkDenoiser(net, Parameterisation.X0, new VeSde(0.01, 50), NoiseConditioning.sigma());
        var e = assertThrows(IllegalArgumentException.class, () -> plain.withGuidance(new int[]{1}, 10, Double.NaN));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> plain.withGuidance(null, 10, 2));
        Tensor y = Tensor.randn(Backends.cpu(), DType.F64, 5, 0, 2, 1);
        e = assertThrows(IllegalArgumentException.class, () -> plain.withGuidance(new int[]{1}, 10, 2).denoise(y, 0.5));
        assertTrue(e.getMessage().contains("1 class labels") && e.getMessage().contains("2 samples"), e.getMessage());
    }
}
