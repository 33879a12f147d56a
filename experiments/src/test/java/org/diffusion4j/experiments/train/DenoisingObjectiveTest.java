package org.diffusion4j.experiments.train;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.sde.VpSde;
import org.diffusion4j.nn.Init;
import org.diffusion4j.nn.Linear;
import org.diffusion4j.nn.Module;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class DenoisingObjectiveTest {
    private static final int B = 17, D = 3;
    private static final DiscreteSchedule SCHEDULE = DiscreteSchedule.linear(1000, 1e-4, 0.02);

    /** Outputs zeros and remembers what it was given. */
    private static final class Recorder implements Network {
        Tensor input, time;
        @Override public Module module() { throw new UnsupportedOperationException(); }
        @Override public Variable forward(Variable x, Tensor t, int[] labels) {
            input = x.value();
            time = t;
            return Variable.constant(x.value().zerosLike());
        }
    }

    private static Tensor data() { return Tensor.randn(Backends.cpu(), DType.F64, 11, 0, B, D).mul(0.7).add(0.3); }

    /** The sigma of each sample and the noise, drawn again the way the objective documents it. */
    private static double[] sigmas(StepRandom r, NoiseDistribution noise) {
        double[] u = r.hostUniforms("sigma", B), s = new double[B];
        for (int i = 0; i < B; i++) s[i] = noise.sigma(u[i]);
        return s;
    }

    @Test
    void epsilonObjectiveIsHoEtAlEquation14() {
        StepRandom r = new StepRandom(3, 41);
        Tensor x0 = data();
        Recorder net = new Recorder();
        NoiseDistribution noise = NoiseDistribution.discrete(SCHEDULE);
        double loss = new DenoisingObjective(noise, Preconditioning.EPSILON).loss(net, x0, null, r).value().item();
        double[] x = x0.toDoubleArray(), n = r.normal("noise", Backends.cpu(), DType.F64, B, D).toDoubleArray();
        double[] u = r.hostUniforms("sigma", B), in = net.input.toDoubleArray(), time = net.time.toDoubleArray();
        double expectedLoss = 0;
        for (int i = 0; i < B; i++) {
            int t = (int) Math.floor(u[i] * 1000);
            assertEquals(t, time[i], 1e-6, "network time of sample " + i);
            double abar = 1;
            for (int k = 0; k <= t; k++) abar *= 1 - (1e-4 + (0.02 - 1e-4) * k / 999.0);
            for (int j = 0; j < D; j++) {
                double xt = Math.sqrt(abar) * x[i * D + j] + Math.sqrt(1 - abar) * n[i * D + j];
                assertEquals(xt, in[i * D + j], 1e-9, "x_t of sample " + i);
                expectedLoss += n[i * D + j] * n[i * D + j]; // zero output: |0 - eps|^2
            }
        }
        assertEquals(expectedLoss / (B * D), loss, 1e-12);
    }

    @Test
    void vAndX0TargetsMatchTheirDefinitions() {
        StepRandom r = new StepRandom(9, 2);
        Tensor x0 = data();
        NoiseDistribution noise = NoiseDistribution.discrete(SCHEDULE);
        double lossV = new DenoisingObjective(noise, Preconditioning.V).loss(new Recorder(), x0, null, r).value().item();
        double lossX0 = new DenoisingObjective(noise, Preconditioning.X0).loss(new Recorder(), x0, null, r).value().item();
        double[] x = x0.toDoubleArray(), n = r.normal("noise", Backends.cpu(), DType.F64, B, D).toDoubleArray();
        double[] s = sigmas(r, noise);
        double v2 = 0, x2 = 0;
        for (int i = 0; i < B; i++) {
            double abar = 1 / (1 + s[i] * s[i]);
            for (int j = 0; j < D; j++) {
                double v = Math.sqrt(abar) * n[i * D + j] - Math.sqrt(1 - abar) * x[i * D + j]; // Salimans and Ho 2022
                v2 += v * v;
                x2 += x[i * D + j] * x[i * D + j];
            }
        }
        assertEquals(v2 / (B * D), lossV, 1e-12);
        assertEquals(x2 / (B * D), lossX0, 1e-12);
    }

    @Test
    void lossEqualsWeightedDenoiserErrorForEveryPreconditioning() {
        // lambda |D - x0|^2 with lambda = 1 / c_out^2 (Karras et al. 2022, eq. 8) computed through the denoiser,
        // one sample at a time, must equal the objective's |F - target|^2.
        Linear layer;
        try (Init init = Init.seeded(4, Backends.cpu(), DType.F64)) {
            layer = new Linear(D, D);
        }
        Network net = new Network() {
            @Override public Module module() { return layer; }
            @Override public Variable forward(Variable x, Tensor t, int[] labels) {
                return layer.forward(x).add(Variable.constant(t.reshape(-1, 1).mul(0.01)));
            }
        };
        NoiseDistribution[] noises = {NoiseDistribution.discrete(SCHEDULE), NoiseDistribution.geometric(0.01, 50, 10),
                NoiseDistribution.vpSde(new VpSde(), 1e-5), NoiseDistribution.logNormal(-1.2, 1.2)};
        Preconditioning[] pres = {Preconditioning.EPSILON, Preconditioning.X0, Preconditioning.V, Preconditioning.edm(0.5)};
        for (NoiseDistribution noise : noises) {
            for (Preconditioning pre : pres) {
                StepRandom r = new StepRandom(1, 7);
                Tensor x0 = data();
                DenoisingObjective objective = new DenoisingObjective(noise, pre);
                double loss = objective.loss(net, x0, null, r).value().item();
                double[] s = sigmas(r, noise);
                Tensor n = r.normal("noise", Backends.cpu(), DType.F64, B, D);
                NetworkDenoiser denoiser = new NetworkDenoiser(net, objective);
                double sum = 0;
                for (int i = 0; i < B; i++) {
                    Tensor xi = x0.narrow(0, i, 1).add(n.narrow(0, i, 1).mul(s[i]));
                    double[] d = denoiser.denoise(xi, s[i]).toDoubleArray(), clean = x0.narrow(0, i, 1).contiguous().toDoubleArray();
                    for (int j = 0; j < D; j++) sum += (d[j] - clean[j]) * (d[j] - clean[j]) / (pre.cOut(s[i]) * pre.cOut(s[i]));
                }
                assertEquals(sum / (B * D), loss, 1e-9 * Math.max(1, loss), pre + " with " + noise);
            }
        }
    }

    @Test
    void guidanceMixesConditionalAndUnconditionalPredictions() {
        Module noParameters = new Module() { };
        Network net = new Network() {
            @Override public Module module() { return noParameters; }
            @Override public Variable forward(Variable x, Tensor t, int[] labels) {
                double[] l = new double[labels.length];
                for (int i = 0; i < l.length; i++) l[i] = labels[i];
                return x.mul(0).add(Variable.constant(Tensor.of(Backends.cpu(), DType.F64, l, l.length, 1)));
            }
        };
        DenoisingObjective objective = new DenoisingObjective(NoiseDistribution.discrete(SCHEDULE), Preconditioning.X0);
        Tensor x = Tensor.randn(Backends.cpu(), DType.F64, 1, 0, 2, 3);
        // X0 preconditioning: D = F, the label as a number; the "no class" label is 10.
        double[] d = new NetworkDenoiser(net, objective, new int[]{3, 7}, 10, 2.5).denoise(x, 0.5).toDoubleArray();
        assertEquals(10 + 2.5 * (3 - 10), d[0], 1e-12);
        assertEquals(10 + 2.5 * (7 - 10), d[3], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new NetworkDenoiser(net, objective, new int[]{1}, 10, 1).denoise(x, 0.5));
    }

    @Test
    void discreteNoiseLevelsHitTheScheduleAndTheNetworkSeesTheIndex() {
        NoiseDistribution noise = NoiseDistribution.discrete(SCHEDULE);
        for (int k : new int[]{0, 1, 17, 500, 999}) {
            double s = noise.sigma((k + 0.5) / 1000);
            assertEquals(SCHEDULE.sigma(k), s, 0);
            assertEquals(k, noise.networkTime(s), 1e-9);
        }
        NoiseDistribution g = NoiseDistribution.geometric(0.01, 50, 10);
        assertEquals(50, g.sigma(0.01), 1e-12);
        assertEquals(0.01, g.sigma(0.99), 1e-12);
    }

    @Test
    void normalQuantileMatchesPublishedValues() {
        assertEquals(0, StandardNormalQuantile.of(0.5), 1e-15);
        assertEquals(1.959963984540054, StandardNormalQuantile.of(0.975), 3e-9);
        assertEquals(-3.090232306167813, StandardNormalQuantile.of(0.001), 4e-9);
        assertEquals(-6.361340902404056, StandardNormalQuantile.of(1e-10), 8e-9);
        assertEquals(2.326347874040841, StandardNormalQuantile.of(0.99), 3e-9);
        assertThrows(IllegalArgumentException.class, () -> StandardNormalQuantile.of(1.0));
    }
}
