package org.diffusion4j.experiments.cli;

import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.diffusion.sampler.SampleRequest;
import org.diffusion4j.diffusion.sampler.SampleResult;
import org.diffusion4j.diffusion.sampler.Sampler;
import org.diffusion4j.diffusion.sampler.Samplers;
import org.diffusion4j.experiments.io.ImageGrid;
import org.diffusion4j.experiments.io.Npy;
import org.diffusion4j.diffusion.param.NetworkDenoiser;
import org.diffusion4j.experiments.train.RunSamplers;
import org.diffusion4j.experiments.train.RunSampling;
import org.diffusion4j.experiments.train.SamplePictures;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code d4j sample}: samples from a trained run or from an analytic model with any sampler. */
@Command(name = "sample", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Draws samples with one of the samplers below, from a trained run (--run, using its EMA weights) "
                + "or from an analytic model with an exact score (--analytic: gaussian, 8gaussians, checkerboard-gmm). "
                + "A GAN or VAE run samples in one network call from its latents, without --sampler.",
                "Prints the number of network evaluations (NFE). Sample i uses Philox stream i of --seed, so it does not "
                        + "depend on --n."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:samples written", "1:sampling failed", "2:bad usage"})
public final class SampleCommand implements Callable<Integer> {
    @ParentCommand private Main d4j;
    private CommandSpec spec;

    /** Adds the list of samplers with their options and defaults to --help. */
    @Spec void setSpec(CommandSpec spec) {
        this.spec = spec;
        spec.usageMessage().footer(SamplerHelp.text());
        spec.usageMessage().width(140); // the sampler table reads better unwrapped
    }

    static final class Source {
        @Option(names = "--run", paramLabel = "DIR", description = "a run folder (runs/NAME)") Path run;
        @Option(names = "--analytic", paramLabel = "NAME", description = "an analytic model: gaussian, 8gaussians, checkerboard-gmm") String analytic;
    }

    @ArgGroup(exclusive = true, multiplicity = "1") Source source;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "with --run: this checkpoint instead of the newest") Path checkpoint;
    @Option(names = "--sampler", paramLabel = "NAME", description = "the sampler (listed below; not for text runs)") String sampler;
    @Option(names = "--length", paramLabel = "L", description = "text runs: characters per sample (default: the run's window)") Integer length;
    @Option(names = "--steps", paramLabel = "N", description = "sampler steps (default: the sampler's)") Integer steps;
    @Option(names = "--n", required = true, paramLabel = "COUNT", description = "number of samples") int n;
    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "seed of the noise (default: ${DEFAULT-VALUE})") long seed;
    @Option(names = "--guidance", defaultValue = "1", paramLabel = "W", description = "classifier-free guidance weight for "
            + "class-conditional runs (default: ${DEFAULT-VALUE}: plain conditional)") double guidance;
    @Option(names = "--prompt", paramLabel = "TEXT", description = "text-to-image runs: what every sample shows, e.g. "
            + "\"a small dark sneaker on the left\" (with --guidance W for classifier-free guidance)") String prompt;
    @Option(names = "--prompts", paramLabel = "FILE", description = "text-to-image runs: one prompt per line, --n samples "
            + "each; grid row p holds prompt p's samples") Path promptsFile;
    @Option(names = "--class", paramLabel = "K", description = "the class of every sample (class-conditional runs; default: 0, 1, 2, ... in turn)") Integer classLabel;
    @Option(names = "--out", paramLabel = "GRID.png", description = "write a PNG grid (images) or scatter plot (2-D points)") Path out;
    @Option(names = "--npy", paramLabel = "OUT.npy", description = "write the samples as a .npy array [N, ...]") Path npy;
    @Option(names = "--wav", paramLabel = "DIR", description = "spoken-digits runs: write each clip as DIR/sample-I-digit-K.wav "
            + "(sample-I.wav when unconditional), 16-bit PCM at 8 kHz, values outside [-1, 1] clipped") Path wav;
    @Option(names = "--init-npy", paramLabel = "X.npy", description = "start from these standard-normal noises [N, ...] instead of drawing them") Path initNpy;
    @Option(names = "--rtol", paramLabel = "R", description = "ode-rk45: relative tolerance") Double rtol;
    @Option(names = "--atol", paramLabel = "A", description = "ode-rk45: absolute tolerance") Double atol;
    @Option(names = "--timesteps", paramLabel = "T1,T2,...", description = "explicit 0-based timesteps of the discrete chain, "
            + "descending (ddpm, ddim, and the noise-level samplers on the chain); replaces --steps") String timesteps;
    @Option(names = "--sigmas", paramLabel = "FILE|S1,S2,...,0", description = "explicit noise levels, descending, ending with 0 "
            + "(the noise-level samplers): a comma-separated list or a file of numbers; replaces --steps") String sigmas;
    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE", description = "any other sampler option (listed below)")
    Map<String, String> options = new LinkedHashMap<>();

    @Override public Integer call() throws IOException {
        if (n < 1) throw new ParameterException(spec.commandLine(), "--n must be >= 1, got " + n);
        if (source.run != null && org.diffusion4j.experiments.text.TextRunFolder.isTextRun(source.run)) return text();
        if (source.run != null && TrainedRun.isBaseline(source.run)) return baseline();
        if (sampler == null) throw new ParameterException(spec.commandLine(), "give --sampler NAME (listed below)");
        if (out == null && npy == null && wav == null) throw new ParameterException(spec.commandLine(),
                "give --out GRID.png (a spectrogram grid for audio runs), --npy OUT.npy and/or --wav DIR");
        if (wav != null && source.analytic != null) throw new ParameterException(spec.commandLine(), "--wav needs a spoken-digits --run");
        if (source.analytic != null && (checkpoint != null || classLabel != null || guidance != 1.0)) {
            throw new ParameterException(spec.commandLine(), "--checkpoint, --class and --guidance need --run, not --analytic");
        }
        if (prompt != null && promptsFile != null) throw new ParameterException(spec.commandLine(), "give --prompt or --prompts, not both");
        if (source.analytic != null && (prompt != null || promptsFile != null)) {
            throw new ParameterException(spec.commandLine(), "--prompt and --prompts need a text-to-image --run, not --analytic");
        }
        Map<String, String> samplerOptions = new LinkedHashMap<>(options);
        if (rtol != null) samplerOptions.put("rtol", Double.toString(rtol));
        if (atol != null) samplerOptions.put("atol", Double.toString(atol));
        if ((timesteps != null || sigmas != null) && steps != null) {
            throw new ParameterException(spec.commandLine(), "--timesteps and --sigmas replace --steps; give one or the other");
        }
        if (timesteps != null) samplerOptions.put("timesteps", timesteps);
        try {
            if (sigmas != null) samplerOptions.put("sigmas", SigmaList.read(sigmas));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter stdout = spec.commandLine().getOut();
        Result r;
        try {
            r = source.analytic != null ? analytic(samplerOptions) : trained(samplerOptions);
        } catch (MemoryBudget.TooLargeException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        double[][] rows = RunSampling.rows(r.samples.samples());
        int total = rows.length;
        if (npy != null) {
            Npy.writeFloat64(npy, r.samples.samples().contiguous().toDoubleArray(), r.samples.samples().shape());
            stdout.println("samples: " + npy);
        }
        if (out != null) {
            ImageGrid.writePng(promptCount > 1 ? ImageGrid.render(rows, r.sampleShape[0], r.sampleShape[1], r.sampleShape[2], n)
                    : SamplePictures.of(rows, r.sampleShape), out);
            stdout.println("picture: " + out);
        }
        if (wav != null) {
            java.nio.file.Files.createDirectories(wav);
            var files = AudioRunEvaluation.writeClips(rows, askedLabels, wav);
            stdout.println("WAV files: " + files.size() + " in " + wav);
        }
        stdout.printf(Locale.ROOT, "sampler %s: %d samples, NFE %d, %.2f s sampling (%.2f samples/s; loading and JVM start not counted)%n",
                Samplers.cliName(r.sampler.name()), total, r.samples.nfe(), sampleSeconds, total / sampleSeconds);
        return 0;
    }

    /** A text run (docs/results/text-diffusion.md): prints the samples and the NFE. */
    private int text() throws IOException {
        try {
            var stored = org.diffusion4j.experiments.text.TextRunFolder.readSpec(source.run);
            org.diffusion4j.experiments.text.TextSampling.sample(source.run, d4j.backend(), n,
                    length == null ? stored.spec().length() : length, steps, seed, spec.commandLine().getOut());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return 0;
    }

    /** The prompts of a text-to-image run (1 when sampling one prompt, or none); samples = n x promptCount. */
    private int promptCount = 1;

    /**
     * A GAN or VAE run (docs/generators.md): --n samples from the latents of --seed (latent i on stream i), one network
     * call, from the newest (or --checkpoint) EMA weights. The sampler options do not apply and are refused.
     */
    private int baseline() throws IOException {
        if (sampler != null || steps != null || timesteps != null || sigmas != null || rtol != null || atol != null
                || !options.isEmpty() || initNpy != null || length != null || classLabel != null || guidance != 1.0) {
            throw new ParameterException(spec.commandLine(), "run " + source.run + " is a GAN or VAE: it samples in one network "
                    + "call from its latents, so --sampler, --steps, --timesteps, --sigmas, --rtol, --atol, -o, --init-npy, "
                    + "--length, --class and --guidance do not apply; give --n, --seed, --checkpoint, --out and/or --npy");
        }
        if (out == null && npy == null) throw new ParameterException(spec.commandLine(), "give --out GRID.png and/or --npy OUT.npy");
        Backend backend = d4j.backend();
        TrainedRun run;
        try {
            run = TrainedRun.open(source.run, checkpoint, backend, spec.commandLine().getErr()::println);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        long elements = 1;
        for (int d : run.sampleShape()) elements *= d;
        MemoryBudget.ofThisJvm().checkSampling("--n " + n, n, elements, run.setup().dtype().bytes());
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("checkpoint %s (step %d, %s weights)%n", run.checkpoint(), run.step(), run.ema() ? "EMA" : "training");
        long t0 = System.nanoTime();
        Tensor samples = run.generator().generate(n, seed);
        backend.synchronize();
        double seconds = (System.nanoTime() - t0) * 1e-9;
        if (npy != null) {
            Npy.writeFloat64(npy, samples.contiguous().toDoubleArray(), samples.shape());
            stdout.println("samples: " + npy);
        }
        if (out != null) {
            ImageGrid.writePng(SamplePictures.of(RunSampling.rows(samples), run.sampleShape()), out);
            stdout.println("picture: " + out);
        }
        stdout.printf(Locale.ROOT, "%s: %d samples, NFE 1, %.2f s sampling (%.2f samples/s; loading and JVM start not counted)%n",
                run.config().model().type(), n, seconds, n / seconds);
        return 0;
    }

    /** The digit of each sample of a class-conditional run (for the WAV names), null otherwise. */
    private int[] askedLabels;

    /** Wall-clock seconds of the sampler itself, measured in {@link #run}. */
    private double sampleSeconds;

    private record Result(Sampler sampler, SampleResult samples, int[] sampleShape) { }

    private Result analytic(Map<String, String> samplerOptions) throws IOException {
        GaussianMixture model = AnalyticModels.byName(source.analytic);
        if (steps != null) samplerOptions.put("steps", Integer.toString(steps));
        Sampler s = Samplers.byName(Samplers.canonicalName(sampler), samplerOptions);
        int[] shape = {model.dimension()};
        Backend backend = d4j.backend();
        return new Result(s, run(s, model, backend, DType.F64, shape, 0), shape);
    }

    private Result trained(Map<String, String> samplerOptions) throws IOException {
        Backend backend = d4j.backend();
        TrainedRun run = TrainedRun.open(source.run, checkpoint, backend, spec.commandLine().getErr()::println);
        if (wav != null && !run.config().data().holdsAudio()) throw new IllegalArgumentException("--wav needs a spoken-digits run; "
                + source.run + " was trained on '" + run.config().data().dataset() + "'");
        int defaultSteps = Integer.parseInt(defaultOption(Samplers.canonicalName(sampler), "steps", "50"));
        if (run.config().diffusion().usesDiscreteChain()) {
            // ddpm's default is the whole chain, which for a run is the run's own T.
            defaultSteps = Math.min(defaultSteps, run.config().diffusion().timesteps());
        }
        Sampler s = RunSamplers.forRun(run.config(), run.setup(), sampler, steps != null ? steps : defaultSteps, samplerOptions);
        Conditioning condition = Conditioning.NONE;
        boolean text = run.config().model().textConditional();
        if (!text && (prompt != null || promptsFile != null)) {
            throw new IllegalArgumentException("--prompt and --prompts need a text-to-image run (model.type text-unet); "
                    + source.run + " is a " + run.config().model().type() + " run");
        }
        if (text) {
            condition = promptCondition(run);
        } else if (run.config().model().classConditional()) {
            int classes = run.config().model().classes();
            if (classLabel != null && (classLabel < 0 || classLabel >= classes)) {
                throw new IllegalArgumentException("--class " + classLabel + ": expected 0.." + (classes - 1));
            }
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) labels[i] = classLabel != null ? classLabel : i % classes;
            condition = Conditioning.labels(labels, classes);
            askedLabels = labels;
        } else if (classLabel != null || guidance != 1.0) {
            throw new IllegalArgumentException("--class and --guidance need a class-conditional run; " + source.run + " is unconditional");
        }
        NetworkDenoiser unconditional = run.objective().denoiser(run.network());
        // classifier-free guidance towards the labels; the "no class" label is the config's classes
        Denoiser denoiser = condition.isNone() ? unconditional : unconditional.withGuidance(condition, guidance);
        spec.commandLine().getOut().printf("checkpoint %s (step %d, %s weights)%n", run.checkpoint(), run.step(), run.ema() ? "EMA" : "training");
        // DDPM and DDIM make one network evaluation per step, so their progress lines can show an ETA
        String registry = Samplers.canonicalName(sampler);
        long expected = !registry.equals("ddpm") && !registry.equals("ddim") ? 0
                : timesteps != null ? timesteps.split(",").length : steps != null ? steps : defaultSteps;
        return new Result(s, run(s, denoiser, backend, run.setup().dtype(), run.sampleShape(), expected), run.sampleShape());
    }

    /** The prompts as token ids, each repeated --n times; unknown words are an error naming them. */
    private Conditioning promptCondition(TrainedRun run) throws IOException {
        if (prompt == null && promptsFile == null) throw new IllegalArgumentException(source.run + " is a text-to-image run: "
                + "give --prompt \"TEXT\" or --prompts FILE");
        if (classLabel != null) throw new IllegalArgumentException("--class is for class-conditional runs; " + source.run
                + " is a text-to-image run (use --prompt)");
        java.util.List<String> prompts = prompt != null ? java.util.List.of(prompt) : java.nio.file.Files.readAllLines(promptsFile)
                .stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (prompts.isEmpty()) throw new IllegalArgumentException("--prompts " + promptsFile + " holds no prompt (one per line)");
        var tokenizer = org.diffusion4j.experiments.texttoimage.TextToImageRun.savedTokenizer(source.run);
        Conditioning c = org.diffusion4j.experiments.texttoimage.TextToImageRun.condition(prompts, n, tokenizer,
                run.config().model().captionLength());
        promptCount = prompts.size();
        PrintWriter stdout = spec.commandLine().getOut();
        for (int p = 0; p < prompts.size(); p++) {
            stdout.printf(Locale.ROOT, "prompt %d (samples %d..%d): %s%n", p, p * n, (p + 1) * n - 1, prompts.get(p));
        }
        return c;
    }

    private static String defaultOption(String samplerName, String option, String fallback) {
        for (Samplers.Option o : Samplers.info(samplerName).options()) if (o.name().equals(option)) return o.defaultValue();
        return fallback;
    }

    /** Samples, with a progress line every few seconds on stderr (expectedNfe 0: no ETA). */
    private SampleResult run(Sampler s, Denoiser model, Backend backend, DType dtype, int[] sampleShape, long expectedNfe)
            throws IOException {
        long sampleElements = 1;
        for (int d : sampleShape) sampleElements *= d;
        int count = n * promptCount;
        MemoryBudget.ofThisJvm().checkSampling("--n " + n, count, sampleElements, dtype.bytes());
        SampleRequest request = SampleRequest.of(backend, dtype, seed, count, sampleShape);
        if (initNpy != null) {
            Npy.Array a = Npy.read(initNpy);
            if (!Arrays.equals(a.shape(), request.shape())) {
                throw new IllegalArgumentException("--init-npy " + initNpy + " has shape " + Arrays.toString(a.shape())
                        + ", expected " + Arrays.toString(request.shape()) + " (--n and the model's sample shape)");
            }
            request = request.withInitialNoise(Tensor.of(backend, dtype, a.data(), a.shape()));
        }
        Denoiser counted = new SamplingProgress(model, "sampling " + Samplers.cliName(s.name()), expectedNfe,
                spec.commandLine().getErr());
        long launches = KernelReport.launchesSoFar(backend);
        long t0 = System.nanoTime();
        SampleResult result = s.sample(counted, request);
        backend.synchronize();  // kernels are queued asynchronously on OpenCL: time until they have all run
        sampleSeconds = (System.nanoTime() - t0) * 1e-9;
        // with D4J_OPENCL_PROFILE=1: the sampling loop's kernels per network evaluation, then the kernel table
        PrintWriter stdout = spec.commandLine().getOut();
        KernelReport.printLaunchesIfProfiling(backend, launches, result.nfe(), "network evaluation (sampling loop)", stdout);
        KernelReport.printIfProfiling(backend, result.nfe(), "network evaluation", 20, stdout);
        return result;
    }
}
