package org.diffusion4j.benchmarks.sidebyside;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.ddpm.ReverseVariance;
import org.diffusion4j.diffusion.net.UNet;
import org.diffusion4j.diffusion.net.UNetConfig;
import org.diffusion4j.diffusion.param.NetworkDenoiser;
import org.diffusion4j.diffusion.param.NoiseConditioning;
import org.diffusion4j.diffusion.param.Parameterisation;
import org.diffusion4j.diffusion.sampler.DdimSampler;
import org.diffusion4j.diffusion.sampler.DdpmSampler;
import org.diffusion4j.diffusion.sampler.Sampler;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.schedule.TimestepSpacing;
import org.diffusion4j.kernels.OpenClBackend;
import org.diffusion4j.nn.Init;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

/**
 * The one definition of the side-by-side workloads, shared by {@link ExportAndRun}, the JMH benchmarks and the
 * guard, and mirrored in {@code benchmarks/pytorch/parity.py} and {@code sidebyside.py}:
 * <ul>
 *   <li>the network: UNet-S for one input channel (6,469,889 parameters), or the small "tiny" net that the CPU guard
 *       uses, built in F32 under a fixed {@link Init} seed and switched to evaluation mode (dropout off);</li>
 *   <li>inputs: x ~ N(0, I) of shape [N, 1, 28, 28] from Philox (seed, sample i on stream i) and timesteps
 *       t_i = (500 + 389 i) mod 1000 as floats, so batch 1 sees t = 500 and larger batches cover [0, 999];</li>
 *   <li>the chain: DDPM's linear schedule (beta 1e-4 .. 0.02, T = 1000), epsilon-prediction, the network conditioned
 *       on the 0-based timestep index; samplers use "trailing" timesteps (999, 979, ..., 19 for 50 steps).</li>
 * </ul>
 */
public final class UNetSWorkload {
    /** The Init seed of the exported weights (any fixed value; PyTorch loads them, it does not re-draw them). */
    public static final long WEIGHT_SEED = 2026;
    public static final int IMAGE_SIZE = 28;
    public static final int TRAIN_STEPS = 1000;

    private UNetSWorkload() { }

    /** The network by name: "unet-s" (the reference) or "tiny" (32 channels, two levels, one block each, no attention). */
    public static UNetConfig config(String name) {
        return switch (name) {
            case "unet-s" -> UNetConfig.unetS(1);
            case "tiny" -> new UNetConfig(1, 32, new int[]{1, 2}, 1, new int[]{}, 0.1, 0, 32);
            default -> throw new IllegalArgumentException("unknown network '" + name + "': expected unet-s or tiny");
        };
    }

    /** The network with weights drawn under seed, in F32 on backend, in evaluation mode. */
    public static UNet build(String name, Backend backend, long seed) {
        UNet net;
        try (Init init = Init.seeded(seed, backend, DType.F32)) {
            net = new UNet(config(name));
        }
        net.eval();
        return net;
    }

    /** x ~ N(0, I) of shape [batch, 1, 28, 28], sample i on Philox stream i. */
    public static Tensor images(Backend backend, long seed, int batch) {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        return Tensor.randn(backend, DType.F32, seed, 0, batch, 1, IMAGE_SIZE, IMAGE_SIZE);
    }

    /** t_i = (500 + 389 i) mod 1000, i = 0..batch-1 (389 is prime to 1000, so up to 1000 samples get distinct t). */
    public static float[] timesteps(int batch) {
        float[] t = new float[batch];
        for (int i = 0; i < batch; i++) t[i] = (500 + 389L * i) % TRAIN_STEPS;
        return t;
    }

    /** The network's output F(x, t), without a tape. */
    public static Tensor forward(UNet net, Tensor x, Tensor t) {
        try (NoGrad g = NoGrad.enter()) {
            return net.forward(Variable.constant(x), t, null).value();
        }
    }

    public static DiscreteSchedule schedule() { return DiscreteSchedule.linear(TRAIN_STEPS, 1e-4, 0.02); }

    /** The network as an epsilon-predicting denoiser, conditioned on the 0-based timestep index. */
    public static NetworkDenoiser denoiser(UNet net) {
        return new NetworkDenoiser(net, Parameterisation.EPSILON, schedule(), NoiseConditioning.time(1));
    }

    /** Deterministic DDIM (eta = 0) over trailing timesteps. */
    public static Sampler ddim(int steps) { return new DdimSampler(schedule(), steps, TimestepSpacing.TRAILING, 0); }

    /** Ancestral DDPM with beta-tilde variance over trailing timesteps (every timestep when steps = 1000). */
    public static Sampler ddpm(int steps) { return new DdpmSampler(schedule(), steps, TimestepSpacing.TRAILING, ReverseVariance.BETA_TILDE); }

    /** The timesteps a sampler of that many steps visits (for the manifest, so the PyTorch loop uses the same). */
    public static int[] samplingTimesteps(int steps) { return TimestepSpacing.TRAILING.timesteps(TRAIN_STEPS, steps); }

    /** Kernels launched so far on backend, or -1 when the backend does not count them (the CPU). */
    public static long kernelLaunches(Backend backend) {
        return backend instanceof OpenClBackend cl ? cl.kernelLaunches() : -1;
    }
}
