package org.diffusion4j.experiments.cli;

import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.experiments.io.Npy;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code d4j nll}: the negative log-likelihood of points under an analytic model, in bits per dimension:
 * bpd = -mean_i log p(x_i) / (D ln 2), with log p the mixture's exact log-density, and its standard error
 * over the points. (nll --run for trained models needs the probability-flow likelihood of the diffusion
 * module; not in this build.)
 */
@Command(name = "nll", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Prints the negative log-likelihood, in bits per dimension, of the points of a .npy file [N, D] "
                + "under an analytic model (gaussian, 8gaussians, checkerboard-gmm), with its standard error."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "1:failure", "2:bad usage"})
public final class NllCommand implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(names = "--analytic", required = true, paramLabel = "NAME", description = "gaussian, 8gaussians or checkerboard-gmm")
    String analytic;

    @Option(names = "--npy", required = true, paramLabel = "IN.npy", description = "the points, shape [N, D]")
    Path npy;

    @Override public Integer call() throws IOException {
        GaussianMixture model;
        try {
            model = AnalyticModels.byName(analytic);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Npy.Array a = Npy.read(npy);
        if (a.shape().length != 2 || a.shape()[1] != model.dimension() || a.shape()[0] < 1) {
            throw new ParameterException(spec.commandLine(), "--npy " + npy + " has shape " + java.util.Arrays.toString(a.shape())
                    + ", expected [N, " + model.dimension() + "] with N >= 1 for model '" + analytic + "'");
        }
        double[] logp = model.logDensity(Tensor.of(Backends.cpu(), a.data(), a.shape())).toDoubleArray();
        Bits bits = Bits.of(logp, model.dimension());
        spec.commandLine().getOut().printf(Locale.ROOT, "%s: %.6f bits/dim (standard error %.6f) over %d points of dimension %d%n",
                analytic, bits.mean(), bits.standardError(), logp.length, model.dimension());
        return 0;
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
