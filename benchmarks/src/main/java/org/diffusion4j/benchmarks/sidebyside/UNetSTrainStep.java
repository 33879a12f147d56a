package org.diffusion4j.benchmarks.sidebyside;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.net.UNet;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.nn.RandomState;
import org.diffusion4j.optim.AdamW;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;

/**
 * One training step of UNet-S with the DDPM loss (Ho et al. 2020, eq. 14): forward on a fixed noised batch
 * x_t = sqrt(ab_t) x_0 + sqrt(1 - ab_t) eps, loss = mean((F(x_t, t) - eps)^2), backward, AdamW (lr 2e-4, weight
 * decay 0.01), gradients cleared; dropout 0.1 active. The batch is made once, as in sidebyside.py, so a step
 * costs the network and the optimiser, not data loading. Shared by {@link UNetSTrainStepBenchmark} (JMH) and
 * {@link ProfileKernels} (device time per kernel).
 */
public final class UNetSTrainStep {
    private final Backend backend;
    private final UNet net;
    private final AdamW optimizer;
    private final RandomState dropoutState;
    private final Tensor xt, eps, t;

    public UNetSTrainStep(Backend backend, int batch) {
        this.backend = backend;
        net = UNetSWorkload.build("unet-s", backend, UNetSWorkload.WEIGHT_SEED);
        net.train();
        dropoutState = new RandomState(5);
        net.setRandomState(dropoutState);
        optimizer = new AdamW(net.namedParameters(), 2e-4);
        DiscreteSchedule schedule = UNetSWorkload.schedule();
        float[] times = UNetSWorkload.timesteps(batch);
        double[] a = new double[batch], s = new double[batch];
        for (int i = 0; i < batch; i++) {
            a[i] = Math.sqrt(schedule.alphaBar((int) times[i]));
            s[i] = Math.sqrt(1 - schedule.alphaBar((int) times[i]));
        }
        Tensor x0 = UNetSWorkload.images(backend, 7, batch);
        eps = Scope.persist(Tensor.randn(backend, DType.F32, 8, 0, batch, 1, 28, 28));
        Tensor at = Tensor.of(backend, DType.F32, a, batch, 1, 1, 1), st = Tensor.of(backend, DType.F32, s, batch, 1, 1, 1);
        xt = Scope.persist(x0.mul(at).add(eps.mul(st)));
        t = Scope.persist(Tensor.of(backend, times, batch));
    }

    /** One step, ending with a wait for the device. */
    public void run() {
        try (Scope s = Scope.open()) {
            Variable out = net.forward(Variable.constant(xt), t, null);
            out.sub(Variable.constant(eps)).square().mean().backward();
            optimizer.step();
            optimizer.zeroGrad();
            dropoutState.advance();
            backend.synchronize();
        }
    }
}
