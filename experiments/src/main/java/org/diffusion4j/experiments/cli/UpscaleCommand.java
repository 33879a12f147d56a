package org.diffusion4j.experiments.cli;

import org.diffusion4j.diffusion.ddpm.ReverseVariance;
import org.diffusion4j.diffusion.inpaint.Constraint;
import org.diffusion4j.diffusion.inpaint.Inpainter;
import org.diffusion4j.diffusion.inpaint.ReverseStep;
import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.schedule.TimestepSpacing;
import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.diffusion.sampler.SampleRequest;
import org.diffusion4j.diffusion.sampler.SampleResult;
import org.diffusion4j.diffusion.sampler.Sampler;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.inpaint.InputImages;
import org.diffusion4j.experiments.io.ImageGrid;
import org.diffusion4j.experiments.io.Npy;
import org.diffusion4j.experiments.superres.Bicubic;
import org.diffusion4j.experiments.superres.LowResolution;
import org.diffusion4j.experiments.superres.UpscaleScores;
import org.diffusion4j.experiments.train.RunSamplers;
import org.diffusion4j.diffusion.sampler.Samplers;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.diffusion4j.experiments.eval.EvalReport;
import org.diffusion4j.experiments.eval.ImageToImageTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code d4j upscale}: super-resolution with an SR3 run (model.superResolution = f). The given high-resolution images
 * are area-downsampled by f, and the run samples a high-resolution image conditioned on that low-resolution copy
 * (any sampler: the condition travels inside the denoiser). Scores against the originals next to nearest and
 * bicubic upsampling.
 */
@Command(name = "upscale", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Super-resolves images with a super-resolution run (model.superResolution = f, SR3): each image of "
                + "--images is area-downsampled by f and sampled back at full size, conditioned on the low-resolution copy.",
                "With --ilvr F instead: training-free ILVR (Choi et al. 2021) with an unconditional image run.",
                "Image i uses Philox stream i of --seed. Prints the NFE, and PSNR / SSIM against the originals for the results, "
                        + "nearest and bicubic upsampling."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:images written", "1:upscaling failed", "2:bad usage"})
public final class UpscaleCommand implements Callable<Integer> {
    @ParentCommand private Main d4j;
    @Spec private CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "a super-resolution run folder") Path run;
    @Option(names = "--checkpoint", paramLabel = "FILE", description = "this checkpoint instead of the newest") Path checkpoint;
    @Option(names = "--images", required = true, paramLabel = "SPEC", description = "the high-resolution originals: test:A-B, "
            + "train:A-B, a .npy [N, C, H, W] in [-1, 1], or PNG files separated by commas") String images;
    @Option(names = "--sampler", defaultValue = "ddim", paramLabel = "NAME", description = "any sampler of d4j sample (default: ${DEFAULT-VALUE})") String sampler;
    @Option(names = "--steps", defaultValue = "50", paramLabel = "N", description = "sampler steps (default: ${DEFAULT-VALUE})") int steps;
    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "seed of the noise (default: ${DEFAULT-VALUE})") long seed;
    @Option(names = "--batch", defaultValue = "64", paramLabel = "B", description = "images per batch; the results do not depend on it (default: ${DEFAULT-VALUE})") int batch;
    @Option(names = "--out", paramLabel = "GRID.png", description = "a grid with rows of nearest, bicubic, result and original") Path out;
    @Option(names = "--npy", paramLabel = "OUT.npy", description = "the results as a .npy array [N, C, H, W]") Path npy;
    @Option(names = "--ilvr", paramLabel = "F", description = "training-free ILVR (Choi et al. 2021) by factor F with an "
            + "unconditional image run on a discrete chain, instead of an SR3 run; --sampler ddpm or ddim") Integer ilvr;
    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE", description = "a sampler option (as d4j sample)")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--fd", description = "also score the results and both baselines (nearest, bicubic) by FD-FMNIST and KID "
            + "against the Fashion-MNIST test split, next to PSNR and SSIM") boolean fd;
    @Option(names = "--json", paramLabel = "OUT.json", description = "write the scores table (results and baselines) as JSON") Path json;
    @Mixin ScoringOptions scoring;

    @Override public Integer call() throws IOException {
        if (out == null && npy == null) throw new ParameterException(spec.commandLine(), "give --out GRID.png and/or --npy OUT.npy");
        if (batch < 1) throw new ParameterException(spec.commandLine(), "--batch must be >= 1, got " + batch);
        try {
            return upscale(spec.commandLine().getOut());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private int upscale(PrintWriter stdout) throws IOException {
        Backend backend = d4j.backend();
        TrainedRun trained = TrainedRun.openDiffusion("upscale", run, checkpoint, backend, spec.commandLine().getErr()::println);
        TrainConfig config = trained.config();
        int f = config.model().superResolution();
        if (f > 0 && ilvr != null) throw new IllegalArgumentException("--ilvr is for unconditional runs; " + run
                + " is a super-resolution run (model.superResolution = " + f + ")");
        if (f == 0 && ilvr == null) throw new IllegalArgumentException("run " + run + " is not a super-resolution run "
                + "(model.superResolution is 0); give --ilvr F for training-free ILVR with it");
        if (ilvr != null) {
            if (!config.data().holdsImages() || !config.diffusion().usesDiscreteChain()) throw new IllegalArgumentException(
                    "--ilvr needs an image run on a discrete chain (objective eps, x0 or v); " + run + " is not one");
            if (ilvr < 2 || 28 % ilvr != 0) throw new IllegalArgumentException("--ilvr " + ilvr + ": expected a factor of 28 above 1");
            f = ilvr;
        }
        if (config.model().classConditional()) throw new IllegalArgumentException("run " + run + " is also class-conditional; "
                + "d4j upscale does not take labels yet");
        int[] shape = trained.sampleShape();
        int c = shape[0], h = shape[1], w = shape[2];
        Path dataFolder = config.data().folder().isEmpty() ? null : Path.of(config.data().folder());
        DType dtype = trained.setup().dtype();
        InputImages in = InputImages.read(images, dataFolder, c, h, w).roundedTo(dtype);
        Sampler s = ilvr == null ? RunSamplers.forRun(config, trained.setup(), sampler, steps, options) : null;
        Inpainter walk = ilvr == null ? null : ilvrWalk(trained);
        int n = in.rows().length, per = c * h * w;
        double[][] results = new double[n][];
        long nfe = 0, t0 = System.nanoTime();
        for (int from = 0; from < n; from += batch) {
            int count = Math.min(batch, n - from);
            double[] flat = new double[count * per];
            for (int i = 0; i < count; i++) System.arraycopy(in.rows()[from + i], 0, flat, i * per, per);
            Tensor originals = Tensor.of(backend, dtype, flat, count, c, h, w);
            Tensor lowRes = LowResolution.condition(originals, f);
            SampleResult r;
            if (walk != null) {
                r = walk.sample(trained.objective().denoiser(trained.network()), lowRes, Constraint.lowPass(f), seed, from);
            } else {
                Denoiser model = trained.objective().denoiser(trained.network()).withCondition(Conditioning.image(lowRes));
                int[] batchShape = {count, c, h, w};
                Tensor z = Tensor.randn(backend, dtype, seed, from, batchShape);
                r = s.sample(model, new SampleRequest(backend, dtype, batchShape, seed, z));
            }
            nfe = r.nfe();
            double[] done = r.samples().contiguous().toDoubleArray();
            for (int i = 0; i < count; i++) results[from + i] = java.util.Arrays.copyOfRange(done, i * per, (i + 1) * per);
            stdout.printf(Locale.ROOT, "upscaled %d / %d%n", from + count, n);
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        if (npy != null) {
            double[] all = new double[n * per];
            for (int i = 0; i < n; i++) System.arraycopy(results[i], 0, all, i * per, per);
            Npy.writeFloat64(npy, all, n, c, h, w);
            stdout.println("results: " + npy);
        }
        if (out != null) {
            ImageGrid.writePng(grid(in.rows(), results, c, h, w, f), out);
            stdout.println("picture: " + out);
        }
        stdout.printf(Locale.ROOT, "%dx%d -> %dx%d with %s: %d images, NFE %d per batch, %.2f s%n", h / f, w / f, h, w,
                walk != null ? "ILVR " + sampler : Samplers.cliName(s.name()), n, nfe, seconds);
        stdout.println(UpscaleScores.of(in.rows(), results, c, h, w, f).summary());
        if (fd || json != null) {
            double[][] near = new double[n][], cubic = new double[n][];
            for (int i = 0; i < n; i++) {
                double[] low = Bicubic.areaDownsample(in.rows()[i], c, h, w, f);
                near[i] = Bicubic.nearest(low, c, h / f, w / f, f);
                cubic[i] = clamp(Bicubic.upsample(low, c, h / f, w / f, f));
            }
            ImageToImageTable table = ImageToImageReport.table(fd, scoring, backend, seed, in.rows(), c, h, w,
                    Map.of("result", results, "nearest", near, "bicubic", cubic), List.of("result", "nearest", "bicubic"));
            stdout.print(table.markdown());
            if (json != null) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("task", "upscale");
                doc.put("run", run.toString());
                doc.put("images", images);
                doc.put("from", (h / f) + "x" + (w / f));
                doc.put("to", h + "x" + w);
                doc.put("method", walk != null ? "ilvr" : "sr3");
                doc.put("sampler", sampler);
                doc.put("steps", steps);
                doc.put("nfe_per_batch", nfe);
                doc.put("seed", seed);
                doc.put("seconds", seconds);
                doc.put("scores", table.asMap());
                EvalReport.writeJson(json, doc);
                stdout.println("scores: " + json);
            }
        }
        return 0;
    }

    /** ILVR's walk: the replacement walk of the inpainter with DDPM or DDIM moves, constrained by the low-pass filter. */
    private Inpainter ilvrWalk(TrainedRun trained) {
        if (trained.config().model().classConditional()) throw new IllegalArgumentException("--ilvr needs an unconditional run");
        DiscreteSchedule schedule = trained.setup().schedule();
        if (steps < 1 || steps > schedule.steps()) throw new IllegalArgumentException("--steps must be in [1, " + schedule.steps() + "]");
        for (String k : options.keySet()) if (!k.equals("spacing") && !k.equals("eta") && !k.equals("variance")) {
            throw new IllegalArgumentException("--ilvr takes the options spacing, eta (ddim) and variance (ddpm); got '" + k + "'");
        }
        ReverseStep move = switch (sampler) {
            case "ddim" -> ReverseStep.ddim(schedule, Double.parseDouble(options.getOrDefault("eta", "0")));
            case "ddpm" -> ReverseStep.ddpm(schedule, "beta".equals(options.get("variance")) ? ReverseVariance.BETA : ReverseVariance.BETA_TILDE);
            default -> throw new IllegalArgumentException("--ilvr runs --sampler ddpm or ddim, got " + sampler);
        };
        return Inpainter.replacement(schedule, steps, TimestepSpacing.byName(options.getOrDefault("spacing", "trailing")), move);
    }

    /** Groups of up to 8 columns: a row of nearest, of bicubic, of results, of originals. */
    private static java.awt.image.BufferedImage grid(double[][] originals, double[][] results, int c, int h, int w, int f) {
        int n = originals.length, cols = Math.min(8, n);
        List<double[]> cells = new ArrayList<>();
        for (int from = 0; from < n; from += cols) {
            for (int row = 0; row < 4; row++) {
                for (int k = 0; k < cols; k++) {
                    int i = from + k;
                    if (i >= n) { cells.add(new double[c * h * w]); continue; }
                    double[] low = Bicubic.areaDownsample(originals[i], c, h, w, f);
                    cells.add(switch (row) {
                        case 0 -> Bicubic.nearest(low, c, h / f, w / f, f);
                        case 1 -> clamp(Bicubic.upsample(low, c, h / f, w / f, f));
                        case 2 -> results[i];
                        default -> originals[i];
                    });
                }
            }
        }
        return ImageGrid.render(cells.toArray(new double[0][]), c, h, w, cols);
    }

    private static double[] clamp(double[] v) {
        double[] o = v.clone();
        for (int i = 0; i < o.length; i++) o[i] = Math.max(-1, Math.min(1, o[i]));
        return o;
    }
}
