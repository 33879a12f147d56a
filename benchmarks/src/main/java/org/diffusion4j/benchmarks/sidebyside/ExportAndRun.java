package org.diffusion4j.benchmarks.sidebyside;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.diffusion4j.diffusion.net.UNet;
import org.diffusion4j.diffusion.sampler.SampleRequest;
import org.diffusion4j.diffusion.sampler.SampleResult;
import org.diffusion4j.experiments.io.Npy;
import org.diffusion4j.io.Safetensors;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Java half of the parity check against PyTorch (benchmarks/pytorch/parity.py):
 * <ol>
 *   <li>builds UNet-S with a fixed seed and writes its weights as {@code unet_s.safetensors} (diffusion4j's names;
 *       parity.py maps them to unet_s.UNetS's);</li>
 *   <li>for every batch size: writes the inputs {@code x_bN.npy} [N, 1, 28, 28] and {@code t_bN.npy} [N], runs the
 *       forward on the chosen device and writes {@code out_bN.npy};</li>
 *   <li>runs deterministic DDIM (eta = 0) from x_T ({@code --x-T file.npy}, or N(0, I) drawn under a seed and written
 *       as {@code ddim_xT.npy}) and writes the final sample {@code ddim_x0.npy};</li>
 *   <li>writes {@code manifest.json}: device, seeds, schedule, timesteps, parameter count, kernels per forward.</li>
 * </ol>
 * Usage: {@code java -cp CP org.diffusion4j.benchmarks.sidebyside.ExportAndRun --out DIR [--device opencl]
 * [--batches 1,128] [--ddim-steps 50] [--ddim-batch 16] [--x-T file.npy] [--seed 2026]}.
 */
public final class ExportAndRun {
    /** What to run; see the class comment for the command-line names. */
    public record Options(Path out, String device, String network, int[] batches, int ddimSteps, int ddimBatch,
                          Path initialNoise, long weightSeed, long inputSeed, long noiseSeed) {
        public Options {
            if (out == null) throw new IllegalArgumentException("--out DIR is required");
            for (int b : batches) if (b < 1) throw new IllegalArgumentException("batch sizes must be >= 1, got " + Arrays.toString(batches));
            if (ddimSteps < 1 || ddimSteps > UNetSWorkload.TRAIN_STEPS) throw new IllegalArgumentException("--ddim-steps must be in [1, "
                    + UNetSWorkload.TRAIN_STEPS + "], got " + ddimSteps);
            if (ddimBatch < 1) throw new IllegalArgumentException("--ddim-batch must be >= 1, got " + ddimBatch);
            batches = batches.clone();
        }

        public static Options defaults(Path out) {
            return new Options(out, null, "unet-s", new int[]{1, 128}, 50, 16, null, UNetSWorkload.WEIGHT_SEED, 7, 11);
        }

        public static Options parse(String[] args) {
            Path out = null, noise = null;
            String device = null, network = "unet-s";
            int[] batches = {1, 128};
            int steps = 50, ddimBatch = 16;
            long seed = UNetSWorkload.WEIGHT_SEED;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) throw new IllegalArgumentException("option " + a + " needs a value");
                String v = args[++i];
                switch (a) {
                    case "--out" -> out = Path.of(v);
                    case "--device" -> device = v;
                    case "--net" -> network = v;
                    case "--batches" -> batches = Arrays.stream(v.split(",")).map(String::trim).mapToInt(s -> integer(a, s)).toArray();
                    case "--ddim-steps" -> steps = integer(a, v);
                    case "--ddim-batch" -> ddimBatch = integer(a, v);
                    case "--x-T" -> noise = Path.of(v);
                    case "--seed" -> seed = integer(a, v);
                    default -> throw new IllegalArgumentException("unknown option '" + a + "': expected --out, --device, --net, "
                            + "--batches, --ddim-steps, --ddim-batch, --x-T or --seed");
                }
            }
            return new Options(out, device, network, batches, steps, ddimBatch, noise, seed, 7, 11);
        }

        private static int integer(String option, String text) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " expects an integer, got '" + text + "'");
            }
        }
    }

    private ExportAndRun() { }

    public static void main(String[] args) throws IOException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ExportAndRun: " + e.getMessage());
            System.exit(2);
            return;
        }
        Map<String, Object> manifest = run(options);
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(manifest));
    }

    /** Does everything the class comment lists and returns the manifest (also written to out/manifest.json). */
    public static Map<String, Object> run(Options o) throws IOException {
        Files.createDirectories(o.out());
        Backend backend = Backends.select(o.device());
        UNet net = UNetSWorkload.build(o.network(), backend, o.weightSeed());
        LinkedHashMap<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("device", backend.description());
        manifest.put("network", o.network());
        manifest.put("parameters", net.parameterCount());
        manifest.put("weight_seed", o.weightSeed());
        try (Scope s = Scope.open()) {
            Safetensors.write(o.out().resolve("unet_s.safetensors"), net.stateDict(), Map.of("network", o.network(),
                    "weight_seed", Long.toString(o.weightSeed())));
        }
        List<Map<String, Object>> forwards = new ArrayList<>();
        for (int batch : o.batches()) forwards.add(forwardOnce(net, backend, batch, o));
        manifest.put("forward", forwards);
        manifest.put("ddim", ddim(net, backend, o));
        if (UNetSWorkload.kernelLaunches(backend) >= 0) {
            int batch = Arrays.stream(o.batches()).max().orElse(1);
            manifest.put("train_step", trainStepLaunches(backend, batch));
        }
        manifest.put("schedule", Map.of("kind", "linear", "beta_1", 1e-4, "beta_T", 0.02, "T", UNetSWorkload.TRAIN_STEPS));
        manifest.put("parameterisation", "epsilon");
        manifest.put("conditioning", "0-based timestep index as a float");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(o.out().resolve("manifest.json").toFile(), manifest);
        return manifest;
    }

    private static Map<String, Object> forwardOnce(UNet net, Backend backend, int batch, Options o) throws IOException {
        try (Scope s = Scope.open()) {
            Tensor x = UNetSWorkload.images(backend, o.inputSeed(), batch);
            float[] times = UNetSWorkload.timesteps(batch);
            Tensor t = Tensor.of(backend, times, batch);
            long before = UNetSWorkload.kernelLaunches(backend);
            Tensor out = UNetSWorkload.forward(net, x, t);
            long launches = before < 0 ? -1 : UNetSWorkload.kernelLaunches(backend) - before;
            Npy.writeFloat32(o.out().resolve("x_b" + batch + ".npy"), x.toFloatArray(), x.shape());
            Npy.writeFloat32(o.out().resolve("t_b" + batch + ".npy"), times, batch);
            Npy.writeFloat32(o.out().resolve("out_b" + batch + ".npy"), out.toFloatArray(), out.shape());
            LinkedHashMap<String, Object> m = new LinkedHashMap<>();
            m.put("batch", batch);
            m.put("kernel_launches", launches);
            return m;
        }
    }

    /** Kernels one UNet-S training step launches (forward, backward, AdamW), counted on the second step. */
    private static Map<String, Object> trainStepLaunches(Backend backend, int batch) {
        UNetSTrainStep step = new UNetSTrainStep(backend, batch);
        step.run();
        long before = UNetSWorkload.kernelLaunches(backend);
        step.run();
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("batch", batch);
        m.put("kernel_launches", UNetSWorkload.kernelLaunches(backend) - before);
        return m;
    }

    private static Map<String, Object> ddim(UNet net, Backend backend, Options o) throws IOException {
        int[] shape = {o.ddimBatch(), 1, UNetSWorkload.IMAGE_SIZE, UNetSWorkload.IMAGE_SIZE};
        Tensor z = o.initialNoise() == null ? Tensor.randn(backend, DType.F32, o.noiseSeed(), 0, shape) : readNoise(o.initialNoise(), backend, shape);
        Npy.writeFloat32(o.out().resolve("ddim_xT.npy"), z.toFloatArray(), shape);
        SampleRequest request = new SampleRequest(backend, DType.F32, shape, o.noiseSeed(), z);
        long before = UNetSWorkload.kernelLaunches(backend);
        SampleResult r = UNetSWorkload.ddim(o.ddimSteps()).sample(UNetSWorkload.denoiser(net), request);
        long launches = before < 0 ? -1 : UNetSWorkload.kernelLaunches(backend) - before;
        Npy.writeFloat32(o.out().resolve("ddim_x0.npy"), r.samples().toFloatArray(), shape);
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("steps", o.ddimSteps());
        m.put("batch", o.ddimBatch());
        m.put("eta", 0);
        m.put("spacing", "trailing");
        m.put("timesteps", UNetSWorkload.samplingTimesteps(o.ddimSteps()));
        m.put("nfe", r.nfe());
        m.put("kernel_launches", launches);   // the whole loop: x_T draw, every step's forward and update
        return m;
    }

    private static Tensor readNoise(Path file, Backend backend, int[] expected) {
        Npy.Array a;
        try {
            a = Npy.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read x_T from " + file + ": " + e.getMessage(), e);
        }
        if (!Arrays.equals(a.shape(), expected)) throw new IllegalArgumentException("x_T in " + file + " has shape "
                + Arrays.toString(a.shape()) + ", expected " + Arrays.toString(expected) + " (--ddim-batch decides N)");
        return Tensor.of(backend, DType.F32, a.data(), expected);
    }
}
