package org.diffusion4j.benchmarks.sidebyside;

import org.diffusion4j.diffusion.net.UNet;
import org.diffusion4j.kernels.OpenClBackend;
import org.diffusion4j.kernels.runtime.KernelProfile;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Where the device time of the side-by-side workloads goes, kernel by kernel: a UNet-S training step and a
 * forward pass at the given batch, with OpenCL profiling events ({@link KernelProfile}). Writes a Markdown
 * report; benchmarks/pytorch/profile_train_step.py makes PyTorch's counterpart.
 *
 * <pre>
 *   java ... org.diffusion4j.benchmarks.sidebyside.ProfileKernels [--device opencl] [--batch 128] [--steps 10]
 *            [--warmup 3] [--top 25] [--out profile.md]
 * </pre>
 *
 * The wall time per step is measured too, with profiling on; the events cost a little, so take step times
 * from JMH and shares from here.
 */
public final class ProfileKernels {
    private ProfileKernels() { }

    public static void main(String[] args) throws IOException {
        String device = "opencl";
        int batch = 128, steps = 10, warmup = 3, top = 25;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
            String v = args[++i];
            switch (a) {
                case "--device" -> device = v;
                case "--batch" -> batch = positive(a, v);
                case "--steps" -> steps = positive(a, v);
                case "--warmup" -> warmup = positive(a, v);
                case "--top" -> top = positive(a, v);
                case "--out" -> out = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + a
                        + ": expected --device, --batch, --steps, --warmup, --top or --out");
            }
        }
        System.setProperty("d4j.opencl.profile", "true");   // before the backend opens its queue
        Backend backend = Backends.select(device);
        if (!(backend instanceof OpenClBackend cl) || cl.kernelProfile().isEmpty()) {
            throw new IllegalArgumentException("--device " + device + " is " + backend.description()
                    + ": kernel profiles need an OpenCL device");
        }
        KernelProfile profile = cl.kernelProfile().orElseThrow();
        StringBuilder report = new StringBuilder();
        report.append("# Device time per kernel: UNet-S at batch ").append(batch).append("\n\n")
              .append("Device: ").append(backend.description()).append("\n\n");

        UNetSTrainStep train = new UNetSTrainStep(backend, batch);
        for (int i = 0; i < warmup; i++) train.run();
        profile.reset();
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) train.run();
        double stepMs = (System.nanoTime() - t0) / 1e6 / steps;
        section(report, "Training step", profile.entries(), steps, "step", stepMs, top);

        UNet net = UNetSWorkload.build("unet-s", backend, UNetSWorkload.WEIGHT_SEED);
        Tensor x = Scope.persist(UNetSWorkload.images(backend, 7, batch));
        Tensor t = Scope.persist(Tensor.of(backend, UNetSWorkload.timesteps(batch), batch));
        Runnable forward = () -> {
            try (Scope s = Scope.open()) {
                UNetSWorkload.forward(net, x, t);
                backend.synchronize();
            }
        };
        for (int i = 0; i < warmup; i++) forward.run();
        profile.reset();
        t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) forward.run();
        double forwardMs = (System.nanoTime() - t0) / 1e6 / steps;
        section(report, "Forward (no tape, dropout off)", profile.entries(), steps, "forward", forwardMs, top);

        System.out.print(report);
        if (out != null) {
            Files.writeString(out, report);
            System.out.println("wrote " + out);
        }
    }

    private static void section(StringBuilder report, String title, List<KernelProfile.Entry> entries, int units,
                                String unit, double wallMs, int top) {
        double deviceMs = entries.stream().mapToLong(KernelProfile.Entry::nanos).sum() / 1e6 / units;
        report.append("## ").append(title).append("\n\n")
              .append(String.format(Locale.ROOT, "Wall time %.2f ms per %s with profiling on; kernels kept the device busy "
                      + "%.2f ms of it (%.0f%%); the rest is launch gaps, host work and transfers.%n%n",
                      wallMs, unit, deviceMs, 100 * deviceMs / wallMs, unit))
              .append(KernelProfile.table(entries, top, units, unit)).append('\n');
    }

    private static int positive(String option, String value) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " " + value + ": expected a positive whole number");
        }
        if (n < 1) throw new IllegalArgumentException(option + " " + value + ": expected a positive whole number");
        return n;
    }
}
