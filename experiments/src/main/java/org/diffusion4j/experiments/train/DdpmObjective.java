package org.diffusion4j.experiments.train;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.tensor.Tensor;

import java.util.Arrays;

/**
 * The simple DDPM loss (Ho et al. 2020, eq. 14) and its x0 and v variants: draw t uniformly from
 * {0..T-1} and eps ~ N(0, I), form x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps (eq. 4) and regress the
 * network's output on the target: eps itself, x0, or v = sqrt(abar_t) eps - sqrt(1 - abar_t) x0 (Salimans
 * and Ho 2022, sec. 4). The network's time input is the timestep index t.
 */
public final class DdpmObjective implements Objective {
    /** What the network predicts. */
    public enum Target { EPS, X0, V }

    private final DiscreteSchedule schedule;
    private final Target target;

    public DdpmObjective(DiscreteSchedule schedule, Target target) {
        this.schedule = schedule;
        this.target = target;
    }

    @Override public Variable loss(Network network, Tensor x0, int[] labels, StepRandom random) {
        int b = x0.shape(0);
        double[] u = random.hostUniforms("t", b);
        double[] t = new double[b], signal = new double[b], noiseScale = new double[b];
        for (int r = 0; r < b; r++) {
            int step = Math.min(schedule.steps() - 1, (int) Math.floor(u[r] * schedule.steps()));
            t[r] = step;
            signal[r] = Math.sqrt(schedule.alphaBar(step));
            noiseScale[r] = Math.sqrt(1 - schedule.alphaBar(step));
        }
        int[] perSample = perSampleShape(x0);
        Tensor a = Tensor.of(x0.backend(), x0.dtype(), signal, perSample);
        Tensor s = Tensor.of(x0.backend(), x0.dtype(), noiseScale, perSample);
        Tensor eps = random.normal("noise", x0.backend(), x0.dtype(), x0.shape());
        Tensor xt = a.mul(x0).add(s.mul(eps));
        Tensor goal = switch (target) {
            case EPS -> eps;
            case X0 -> x0;
            case V -> a.mul(eps).sub(s.mul(x0));
        };
        Tensor time = Tensor.of(x0.backend(), x0.dtype(), t, b);
        Variable out = network.forward(Variable.constant(xt), time, labels);
        return out.sub(Variable.constant(goal)).square().mean();
    }

    /** [B, 1, 1, ...]: one coefficient per sample, broadcast over the sample's elements. */
    static int[] perSampleShape(Tensor x) {
        int[] shape = new int[x.rank()];
        Arrays.fill(shape, 1);
        shape[0] = x.shape(0);
        return shape;
    }
}
