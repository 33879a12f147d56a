package org.diffusion4j.benchmarks.sidebyside;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.net.UNet;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.nn.RandomState;
import org.diffusion4j.optim.AdamW;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One training step of UNet-S with the DDPM loss (Ho et al. 2020, eq. 14): forward on a fixed noised batch
 * x_t = sqrt(ab_t) x_0 + sqrt(1 - ab_t) eps, loss = mean((F(x_t, t) - eps)^2), backward, AdamW (lr 2e-4, weight
 * decay 0.01), gradients cleared; dropout 0.1 active. The batch is made once in setup, as in sidebyside.py, so the
 * step times the network and the optimiser, not data loading. Ends with a wait for the device.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UNetSTrainStepBenchmark {
    @Param({"cpu"}) public String device;
    @Param({"128"}) public int batch;

    private Backend backend;
    private UNet net;
    private AdamW optimizer;
    private RandomState dropoutState;
    private Tensor xt, eps, t;

    @Setup(Level.Trial)
    public void setUp() {
        backend = Backends.select(device);
        System.out.println("UNetSTrainStepBenchmark on " + backend.description());
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
        eps = org.diffusion4j.tensor.Scope.persist(Tensor.randn(backend, DType.F32, 8, 0, batch, 1, 28, 28));
        Tensor at = Tensor.of(backend, DType.F32, a, batch, 1, 1, 1), st = Tensor.of(backend, DType.F32, s, batch, 1, 1, 1);
        xt = org.diffusion4j.tensor.Scope.persist(x0.mul(at).add(eps.mul(st)));
        t = org.diffusion4j.tensor.Scope.persist(Tensor.of(backend, times, batch));
    }

    @Benchmark
    public void step() {
        try (org.diffusion4j.tensor.Scope s = org.diffusion4j.tensor.Scope.open()) {
            Variable out = net.forward(Variable.constant(xt), t, null);
            out.sub(Variable.constant(eps)).square().mean().backward();
            optimizer.step();
            optimizer.zeroGrad();
            dropoutState.advance();
            backend.synchronize();
        }
    }
}
