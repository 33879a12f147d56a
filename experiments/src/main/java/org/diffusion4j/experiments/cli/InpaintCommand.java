package org.diffusion4j.experiments.cli;

import org.diffusion4j.diffusion.ddpm.ReverseVariance;
import org.diffusion4j.diffusion.inpaint.Inpainter;
import org.diffusion4j.diffusion.inpaint.ReverseStep;
import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.schedule.TimestepSpacing;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.inpaint.InpaintMask;
import org.diffusion4j.experiments.inpaint.InpaintScores;
import org.diffusion4j.experiments.inpaint.InputImages;
import org.diffusion4j.experiments.io.ImageGrid;
import org.diffusion4j.experiments.io.Npy;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.diffusion4j.experiments.data.FashionMnist;
import org.diffusion4j.experiments.eval.EvalReport;
import org.diffusion4j.experiments.eval.ImageToImageTable;
import org.diffusion4j.experiments.inpaint.MeanFill;
import org.diffusion4j.experiments.inpaint.NearestFill;
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
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code d4j inpaint}: training-free inpainting with a trained image run on a discrete chain, by the replacement
 * method or RePaint's resampling ({@link Inpainter}); writes a grid of (original, masked, result) rows and scores the
 * results against the originals next to the nearest-neighbour baseline.
 */
@Command(name = "inpaint", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Fills the masked part of images with a trained image run (--run, its EMA weights): the replacement "
                + "method (Song et al. 2021, App. I), or RePaint's resampling (Lugmayr et al. 2022) with --resample R > 1.",
                "The run must be an image run on a discrete chain (objective eps, x0 or v). Image i uses Philox stream i of --seed.",
                "The images are first rounded to the run's dtype (f32 for most runs); the scores compare against those values.",
                "Prints the NFE per image, the largest change of a known pixel, and PSNR / SSIM against the originals for "
                        + "the results and for nearest-neighbour fill."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:images written", "1:inpainting failed", "2:bad usage"})
public final class InpaintCommand implements Callable<Integer> {
    @ParentCommand private Main d4j;
    @Spec private CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "a run folder (runs/NAME)") Path run;
    @Option(names = "--checkpoint", paramLabel = "FILE", description = "this checkpoint instead of the newest") Path checkpoint;
    @Option(names = "--images", required = true, paramLabel = "SPEC", description = "test:A-B or train:A-B (Fashion-MNIST "
            + "indices, inclusive), a .npy [N, C, H, W] in [-1, 1], or PNG files separated by commas") String images;
    @Option(names = "--mask", required = true, paramLabel = "MASK", description = "the unknown region: " + InpaintMask.NAMES) String mask;
    @Option(names = "--sampler", defaultValue = "ddim", paramLabel = "NAME", description = "ddpm or ddim (default: ${DEFAULT-VALUE})") String sampler;
    @Option(names = "--steps", defaultValue = "100", paramLabel = "N", description = "timesteps walked down (default: ${DEFAULT-VALUE}, at most the run's T)") int steps;
    @Option(names = "--resample", defaultValue = "1", paramLabel = "R", description = "RePaint: times each stretch of --jump steps is walked (default: ${DEFAULT-VALUE}: the replacement method)") int resample;
    @Option(names = "--jump", defaultValue = "10", paramLabel = "J", description = "RePaint: the jump length in steps (default: ${DEFAULT-VALUE})") int jump;
    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "seed of the noise and of random masks (default: ${DEFAULT-VALUE})") long seed;
    @Option(names = "--batch", defaultValue = "64", paramLabel = "B", description = "images per batch; the results do not depend on it (default: ${DEFAULT-VALUE})") int batch;
    @Option(names = "--out", paramLabel = "GRID.png", description = "write a grid of (original, masked, result) rows") Path out;
    @Option(names = "--npy", paramLabel = "OUT.npy", description = "write the results as a .npy array [N, C, H, W]") Path npy;
    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE", description = "spacing (default trailing), eta (ddim, default 0), "
            + "variance (ddpm: beta-tilde or beta, default beta-tilde)") Map<String, String> options = new LinkedHashMap<>();
    @Option(names = "--fd", description = "also score the results and both baselines (nearest-neighbour fill, mean-image fill "
            + "from the training split) by FD-FMNIST and KID against the Fashion-MNIST test split, next to PSNR and SSIM") boolean fd;
    @Option(names = "--json", paramLabel = "OUT.json", description = "write the scores table (results and baselines) as JSON") Path json;
    @Mixin ScoringOptions scoring;

    @Override public Integer call() throws IOException {
        if (out == null && npy == null) throw new ParameterException(spec.commandLine(), "give --out GRID.png and/or --npy OUT.npy");
        if (batch < 1) throw new ParameterException(spec.commandLine(), "--batch must be >= 1, got " + batch);
        PrintWriter stdout = spec.commandLine().getOut();
        try {
            return inpaint(stdout);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private int inpaint(PrintWriter stdout) throws IOException {
        Backend backend = d4j.backend();
        TrainedRun trained = TrainedRun.openDiffusion("inpaint", run, checkpoint, backend, spec.commandLine().getErr()::println);
        TrainConfig config = trained.config();
        if (!config.data().holdsImages()) throw new IllegalArgumentException("run " + run + " was trained on '"
                + config.data().dataset() + "', not on images; inpainting needs an image run");
        if (config.model().superResolution() > 0) throw new IllegalArgumentException("run " + run + " is a super-resolution "
                + "run (model.superResolution = " + config.model().superResolution() + "): it needs a low-resolution image, "
                + "not a mask; use d4j upscale");
        if (!config.diffusion().usesDiscreteChain()) throw new IllegalArgumentException("run " + run + " has objective '"
                + config.diffusion().objective() + "'; inpainting walks a discrete chain (objective eps, x0 or v)");
        int[] shape = trained.sampleShape();
        int c = shape[0], h = shape[1], w = shape[2];
        Path dataFolder = config.data().folder().isEmpty() ? null : Path.of(config.data().folder());
        InputImages in = InputImages.read(images, dataFolder, c, h, w).roundedTo(trained.setup().dtype());
        double[] maskValues = InpaintMask.of(mask, c, h, w, seed);
        DType dtype = trained.setup().dtype();
        DiscreteSchedule schedule = trained.setup().schedule();
        if (steps < 1 || steps > schedule.steps()) throw new IllegalArgumentException("--steps must be in [1, " + schedule.steps()
                + "] (the run's timesteps), got " + steps);
        Inpainter inpainter = Inpainter.repaint(schedule, steps, TimestepSpacing.byName(options.getOrDefault("spacing", "trailing")),
                reverseStep(schedule), jump, resample);
        Denoiser model = trained.objective().denoiser(trained.network()).withCondition(unconditional(config, Math.min(batch, in.rows().length)));
        Tensor maskTensor = Tensor.of(backend, dtype, maskValues, 1, c, h, w);
        int n = in.rows().length;
        double[][] results = new double[n][];
        long t0 = System.nanoTime();
        for (int from = 0; from < n; from += batch) {
            int count = Math.min(batch, n - from);
            double[] flat = new double[count * c * h * w];
            for (int i = 0; i < count; i++) System.arraycopy(in.rows()[from + i], 0, flat, i * c * h * w, c * h * w);
            Tensor known = Tensor.of(backend, dtype, flat, count, c, h, w);
            Denoiser m = count == Math.min(batch, n) ? model
                    : trained.objective().denoiser(trained.network()).withCondition(unconditional(config, count));
            double[] done = inpainter.inpaint(m, known, maskTensor, seed, from).samples().contiguous().toDoubleArray();
            for (int i = 0; i < count; i++) results[from + i] = java.util.Arrays.copyOfRange(done, i * c * h * w, (i + 1) * c * h * w);
            stdout.printf(Locale.ROOT, "inpainted %d / %d%n", from + count, n);
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        if (npy != null) {
            double[] all = new double[n * c * h * w];
            for (int i = 0; i < n; i++) System.arraycopy(results[i], 0, all, i * c * h * w, c * h * w);
            Npy.writeFloat64(npy, all, n, c, h, w);
            stdout.println("results: " + npy);
        }
        if (out != null) {
            ImageGrid.writePng(InpaintScores.grid(in.rows(), maskValues, results, c, h, w, 8), out);
            stdout.println("picture: " + out);
        }
        InpaintScores scores = InpaintScores.of(in.rows(), maskValues, results, c, h, w);
        stdout.printf(Locale.ROOT, "%s %s, %d steps, jump %d, resample %d: %d images, NFE %d per image, %.2f s%n",
                resample > 1 ? "RePaint" : "replacement", sampler, steps, jump, resample, n, inpainter.networkEvaluations(), seconds);
        stdout.println(scores.summary());
        if (fd || json != null) {
            Map<String, double[][]> sets = new LinkedHashMap<>();
            sets.put("result", results);
            sets.put("nearest-neighbour fill", baseline(in.rows(), maskValues, c, h, w, null));
            if (fd) {   // the mean image needs the training split, which only --fd asks for
                double[] mean = MeanFill.meanImage(FashionMnist.load(scoring.dataFolder(), FashionMnist.Split.TRAIN, scoring.anySize));
                sets.put("mean-image fill", baseline(in.rows(), maskValues, c, h, w, mean));
            }
            ImageToImageTable table = ImageToImageReport.table(fd, scoring, backend, seed, in.rows(), c, h, w, sets,
                    java.util.List.copyOf(sets.keySet()));
            stdout.print(table.markdown());
            if (json != null) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("task", "inpaint");
                doc.put("run", run.toString());
                doc.put("images", images);
                doc.put("mask", mask);
                doc.put("method", resample > 1 ? "repaint" : "replacement");
                doc.put("sampler", sampler);
                doc.put("steps", steps);
                doc.put("jump", jump);
                doc.put("resample", resample);
                doc.put("nfe_per_image", inpainter.networkEvaluations());
                doc.put("seed", seed);
                doc.put("seconds", seconds);
                doc.put("known_pixels_max_change", scores.knownMaxChange());
                doc.put("scores", table.asMap());
                EvalReport.writeJson(json, doc);
                stdout.println("scores: " + json);
            }
        }
        return 0;
    }

    /** Nearest-neighbour fill (mean == null) or mean-image fill of every image. */
    private static double[][] baseline(double[][] originals, double[] mask, int c, int h, int w, double[] mean) {
        double[][] out = new double[originals.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = mean == null ? NearestFill.fill(originals[i], mask, c, h, w) : MeanFill.fill(originals[i], mask, mean);
        }
        return out;
    }

    private ReverseStep reverseStep(DiscreteSchedule schedule) {
        for (String k : options.keySet()) {
            if (!k.equals("spacing") && !k.equals("eta") && !k.equals("variance")) throw new IllegalArgumentException(
                    "inpaint takes the options spacing, eta (ddim) and variance (ddpm); got '" + k + "'");
        }
        return switch (sampler) {
            case "ddim" -> ReverseStep.ddim(schedule, Double.parseDouble(options.getOrDefault("eta", "0")));
            case "ddpm" -> {
                String v = options.getOrDefault("variance", "beta-tilde");
                if (!v.equals("beta") && !v.equals("beta-tilde")) throw new IllegalArgumentException("-o variance=" + v
                        + ": expected beta or beta-tilde");
                yield ReverseStep.ddpm(schedule, v.equals("beta") ? ReverseVariance.BETA : ReverseVariance.BETA_TILDE);
            }
            default -> throw new IllegalArgumentException("--sampler " + sampler + ": inpainting runs ddpm or ddim");
        };
    }

    /** What the network sees: nothing, or for a class-conditional run the "no class" label it was trained with. */
    private static Conditioning unconditional(TrainConfig config, int count) {
        if (!config.model().classConditional()) return Conditioning.NONE;
        if (config.training().labelDropout() == 0) throw new IllegalArgumentException("this class-conditional run was trained "
                + "without label dropout, so it has no unconditional form to inpaint with");
        int noClass = config.model().classes();
        return Conditioning.labels(new int[count], noClass).unconditional();
    }
}
