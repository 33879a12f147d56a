package org.diffusion4j.experiments.cli;

import org.diffusion4j.diffusion.likelihood.ProbabilityFlowLikelihood;
import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.experiments.data.FashionMnist;
import org.diffusion4j.experiments.data.ImageDataset;
import org.diffusion4j.experiments.data.ToyDatasets;
import org.diffusion4j.experiments.io.Npy;
import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.experiments.train.RunSamplers;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.RandomKind;
import org.diffusion4j.tensor.Tensor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code d4j nll}: negative log-likelihood in bits per dimension.
 * <ul>
 *   <li>{@code --analytic NAME --npy IN.npy}: exact, from the mixture's closed-form log-density:
 *       bpd = -mean_i log p(x_i) / (D ln 2), with its standard error over the points.</li>
 *   <li>{@code --run DIR}: through the probability-flow ODE of the trained model (Song et al. 2021, sec. 4.3),
 *       with the exact trace for 2-D data and Rademacher Hutchinson probes for images; images are dequantised
 *       and reported with the 8-bit offset (ProbabilityFlowLikelihood.bitsPerDim).</li>
 * </ul>
 */
@Command(name = "nll", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Prints the negative log-likelihood in bits per dimension: exact for an analytic model (--analytic, "
                + "with --npy points [N, D]), or through the probability-flow ODE for a trained run (--run; points from --npy, "
                + "else --n fresh points of the run's dataset)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "1:failure", "2:bad usage"})
public final class NllCommand implements Callable<Integer> {
    @ParentCommand private Main d4j;
    @Spec private CommandSpec spec;

    static final class Source {
        @Option(names = "--analytic", paramLabel = "NAME", description = "gaussian, 8gaussians or checkerboard-gmm") String analytic;
        @Option(names = "--run", paramLabel = "DIR", description = "a trained run folder") Path run;
    }

    @ArgGroup(exclusive = true, multiplicity = "1") Source source;

    @Option(names = "--npy", paramLabel = "IN.npy", description = "the points, shape [N, ...] (required with --analytic)") Path npy;
    @Option(names = "--checkpoint", paramLabel = "FILE", description = "with --run: this checkpoint instead of the newest") Path checkpoint;
    @Option(names = "--n", defaultValue = "256", paramLabel = "COUNT", description = "with --run and no --npy: how many fresh data points (default: ${DEFAULT-VALUE})") int n;
    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "seed of the fresh points, probes and dequantisation (default: ${DEFAULT-VALUE})") long seed;

    @Override public Integer call() throws IOException {
        if (n < 1) throw new ParameterException(spec.commandLine(), "--n must be >= 1, got " + n);
        return source.analytic != null ? analytic() : trained();
    }

    /** Reads --npy and refuses NaN or infinite values, which would only make the bits/dim NaN. */
    private Npy.Array readPoints() throws IOException {
        Npy.Array a = Npy.read(npy);
        double[] v = a.data();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) throw new IllegalArgumentException("--npy " + npy + ": value " + v[i] + " at flat index "
                    + i + "; expected finite numbers");
        }
        return a;
    }

    /**
     * Refuses a NaN or infinite result instead of printing "NaN bits/dim" with exit code 0: it means a
     * checkpoint with non-finite weights, or an ODE solve that diverged.
     */
    private static void requireFinite(double bitsPerDim, double[] logp, String source) {
        int bad = 0;
        for (double l : logp) if (!Double.isFinite(l)) bad++;
        if (bad > 0 || !Double.isFinite(bitsPerDim)) {
            throw new IllegalStateException(source + ": the log-likelihood is not finite (" + bad + " of " + logp.length
                    + " points NaN or infinite, bits/dim " + bitsPerDim + "); expected finite values: check the checkpoint's "
                    + "weights and the points");
        }
    }

    private int analytic() throws IOException {
        if (npy == null) throw new ParameterException(spec.commandLine(), "--analytic needs --npy IN.npy");
        GaussianMixture model;
        try {
            model = AnalyticModels.byName(source.analytic);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Npy.Array a = readPoints();
        if (a.shape().length != 2 || a.shape()[1] != model.dimension() || a.shape()[0] < 1) {
            throw new ParameterException(spec.commandLine(), "--npy " + npy + " has shape " + Arrays.toString(a.shape())
                    + ", expected [N, " + model.dimension() + "] with N >= 1 for model '" + source.analytic + "'");
        }
        double[] logp = model.logDensity(Tensor.of(Backends.cpu(), a.data(), a.shape())).toDoubleArray();
        Bits bits = Bits.of(logp, model.dimension());
        requireFinite(bits.mean(), logp, "--analytic " + source.analytic + " on --npy " + npy);
        spec.commandLine().getOut().printf(Locale.ROOT, "%s: %.6f bits/dim (standard error %.6f) over %d points of dimension %d%n",
                source.analytic, bits.mean(), bits.standardError(), logp.length, model.dimension());
        return 0;
    }

    private int trained() throws IOException {
        Backend backend = d4j.backend();
        TrainedRun run = TrainedRun.openDiffusion("nll", source.run, checkpoint, backend, spec.commandLine().getErr()::println);
        boolean images = run.config().data().holdsImages();
        Tensor points = images ? ProbabilityFlowLikelihood.dequantise(imagePoints(run, backend), seed) : toyPoints(run, backend);
        ProbabilityFlowLikelihood likelihood;
        try {
            likelihood = new ProbabilityFlowLikelihood(RunSamplers.sdeForRun(run.config(), run.setup()), 1e-5, 1e-5, 1e-5,
                    images ? RandomKind.RADEMACHER : null);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Denoiser trained = run.objective().denoiser(run.network());
        // The likelihood differentiates through D (vector-Jacobian products in x); autograd then also accumulates
        // gradients into the network's parameters, which nobody reads. They are dropped at every call, so that no
        // gradient made inside one of the likelihood's tensor scopes is added to after that scope closed it.
        Denoiser denoiser = (x, sigma) -> {
            run.network().module().zeroGrad();
            return trained.denoise(x, sigma);
        };
        ProbabilityFlowLikelihood.Result result = likelihood.logLikelihood(denoiser, points, seed);
        int dims = (int) (points.numel() / points.shape(0));
        double[] logp = result.logLikelihood().toDoubleArray();
        Bits bits = Bits.of(logp, dims);
        double bpd = images ? ProbabilityFlowLikelihood.bitsPerDim(-mean(logp), dims, 2.0) : bits.mean();
        requireFinite(bpd, logp, "--run " + source.run + " (checkpoint " + run.checkpoint() + ")");
        spec.commandLine().getOut().printf(Locale.ROOT, "%s (step %d): %.6f bits/dim (standard error %.6f) over %d points of "
                        + "dimension %d, probability-flow ODE, NFE %d%n", source.run, run.step(), bpd, bits.standardError(),
                logp.length, dims, result.nfe());
        return 0;
    }

    private Tensor toyPoints(TrainedRun run, Backend backend) throws IOException {
        DType dtype = run.setup().dtype();
        if (npy != null) {
            Npy.Array a = readPoints();
            if (a.shape().length != 2 || a.shape()[1] != 2 || a.shape()[0] < 1) {
                throw new ParameterException(spec.commandLine(), "--npy " + npy + " has shape " + Arrays.toString(a.shape())
                        + ", expected [N, 2] for a run on 2-D data");
            }
            return Tensor.of(backend, dtype, a.data(), a.shape());
        }
        MemoryBudget.ofThisJvm().checkSampling("--n " + n, n, 2, 8);
        double[][] p = ToyDatasets.sample(run.config().data().dataset(), n, seed);
        double[] flat = new double[2 * n];
        for (int i = 0; i < n; i++) { flat[2 * i] = p[i][0]; flat[2 * i + 1] = p[i][1]; }
        return Tensor.of(backend, dtype, flat, n, 2);
    }

    /** The first n test images, in [-1, 1]. */
    private Tensor imagePoints(TrainedRun run, Backend backend) throws IOException {
        if (npy != null) {
            Npy.Array a = readPoints();
            if (a.shape().length != 4 || a.shape()[1] != 1 || a.shape()[2] != 28 || a.shape()[3] != 28) {
                throw new ParameterException(spec.commandLine(), "--npy " + npy + " has shape " + Arrays.toString(a.shape())
                        + ", expected [N, 1, 28, 28] in [-1, 1]");
            }
            return Tensor.of(backend, run.setup().dtype(), a.data(), a.shape());
        }
        String folder = run.config().data().folder();
        ImageDataset test = FashionMnist.load(FashionMnist.folder(folder.isEmpty() ? null : Path.of(folder)), FashionMnist.Split.TEST,
                run.config().data().anySize());
        int[] indices = new int[Math.min(n, test.size())];
        for (int i = 0; i < indices.length; i++) indices[i] = i;
        return test.batch(backend, run.setup().dtype(), indices, null);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    /** Bits per dimension of log-densities (nats): mean and standard error. */
    record Bits(double mean, double standardError) {
        static Bits of(double[] logDensities, int dimension) {
            int n = logDensities.length;
            double scale = -1 / (dimension * Math.log(2)), sum = 0, sumSq = 0;
            for (double l : logDensities) {
                double b = l * scale;
                sum += b;
                sumSq += b * b;
            }
            double mean = sum / n;
            double var = n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : 0;
            return new Bits(mean, Math.sqrt(var / n));
        }
    }
}
