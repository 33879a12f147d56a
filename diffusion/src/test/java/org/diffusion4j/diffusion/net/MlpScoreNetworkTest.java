package org.diffusion4j.diffusion.net;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.objective.DenoisingObjective;
import org.diffusion4j.diffusion.objective.Weighting;
import org.diffusion4j.diffusion.param.Parameterisation;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.nn.Init;
import org.diffusion4j.optim.AdamW;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

@SuppressWarnings("try") // Init and NoGrad blocks act by being open
class MlpScoreNetworkTest {
    private final Backend cpu = Backends.cpu();

    @Test
    void parameterCountFollowsTheLayers() {
        MlpScoreNetwork net = new MlpScoreNetwork(2, 16, 3, 8);
        long expected = (2 * 16 + 16) + (8 * 16 + 16) + 3 * (16 * 16 + 16) + (16 * 2 + 2);
        assertEquals(expected, net.parameterCount());
    }

    /**
     * Training the epsilon objective on the 2D Gaussian preset lowers the loss well below that of predicting zero
     * (which is E|eps|^2 / D = 1 per dimension): the objective, the network and the optimiser work together.
     */
    @Test
    void learnsToPredictTheNoiseOnGaussianData() {
        MlpScoreNetwork net;
        try (Init init = Init.seeded(5, cpu, DType.F32)) {
            net = new MlpScoreNetwork(2, 64, 2, 32);
        }
        DenoisingObjective objective = DenoisingObjective.ddpm(DiscreteSchedule.ddpmLinear(), Parameterisation.EPSILON, Weighting.simple());
        AdamW opt = new AdamW(net.namedParameters(), 3e-3);
        var data = AnalyticModels.gaussian2d();
        double late = 0;
        int steps = 150;
        for (int step = 0; step < steps; step++) {
            Tensor x0 = data.sample(cpu, DType.F32, 128, 1000 + step, 0);
            opt.zeroGrad();
            Variable loss = objective.loss(net, x0, null, 77_000 + step);
            loss.backward();
            opt.step();
            if (step >= steps - 30) late += loss.value().item() / 30;
        }
        assertTrue(late < 0.6, "mean loss over the last 30 steps is " + late + ", expected well below 1 (zero prediction)");
    }

    /**
     * Dropout before the hidden layers: in evaluation mode the network equals the one without dropout (same seed,
     * same weights); in training mode elements of the hidden state are zeroed, so the output changes; a probability
     * outside [0, 1) is refused.
     */
    @Test
    void dropoutActsInTrainingOnly() {
        MlpScoreNetwork plain, dropped;
        try (Init init = Init.seeded(8, cpu, DType.F64)) {
            plain = new MlpScoreNetwork(3, 17, 2, 8);
        }
        try (Init init = Init.seeded(8, cpu, DType.F64)) {
            dropped = new MlpScoreNetwork(3, 17, 2, 8, 0.5);
        }
        Tensor x = Tensor.randn(cpu, DType.F64, 4, 0, 5, 3);
        Tensor c = Tensor.of(cpu, DType.F64, new double[]{0, 3, 17, 33, 999}, 5);
        dropped.eval();
        assertArrayEquals(plain.forward(Variable.constant(x), c, null).value().toDoubleArray(),
                dropped.forward(Variable.constant(x), c, null).value().toDoubleArray(), 0);
        dropped.train();
        double[] a = plain.forward(Variable.constant(x), c, null).value().toDoubleArray();
        double[] b = dropped.forward(Variable.constant(x), c, null).value().toDoubleArray();
        double diff = 0;
        for (int i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i] - b[i]));
        assertTrue(diff > 1e-6, "dropout 0.5 in training mode left the output unchanged (max difference " + diff + ")");
        var e = assertThrows(IllegalArgumentException.class, () -> new MlpScoreNetwork(2, 4, 1, 8, 1.0));
        assertTrue(e.getMessage().contains("1.0"), e.getMessage());
    }
}
