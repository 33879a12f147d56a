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
}
