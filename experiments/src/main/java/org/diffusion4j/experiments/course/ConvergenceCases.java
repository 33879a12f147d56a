package org.diffusion4j.experiments.course;

import org.diffusion4j.diffusion.sampler.Sampler;
import org.diffusion4j.diffusion.sampler.Samplers;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.schedule.NoiseLevels;
import org.diffusion4j.diffusion.schedule.TimestepSpacing;
import org.diffusion4j.diffusion.sde.VpSde;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The samplers of the convergence-order table (docs/course/07-samplers.md), one line each. A deterministic case names
 * a registered sampler ({@link Samplers}) and the family of its path (how its state maps to the exact flow); a
 * stochastic case names a sampler whose output distribution is compared in moments. To add a sampler to the table,
 * add one line to {@link #DETERMINISTIC} or {@link #STOCHASTIC}.
 */
public final class ConvergenceCases {
    private ConvergenceCases() { }

    /** Karras et al. 2022 eq. 5 levels, as the registry's defaults. */
    static final double SIGMA_MIN = 0.002, SIGMA_MAX = 80, RHO = 7;
    /** The VP SDE of Song et al. 2021 and the end time of its ODE samplers. */
    static final VpSde VP = new VpSde();
    static final double END_TIME = 1e-3;
    /** DDPM's linear schedule over T = 1000 (Ho et al. 2020), the registry's default. */
    static final DiscreteSchedule LINEAR = DiscreteSchedule.linear(1000, 1e-4, 0.02);

    /** The interval a measured order must fall in (ConvergenceOrderTest). */
    public record Band(double low, double high) {
        public boolean contains(double order) { return order >= low && order <= high; }

        @Override public String toString() { return "[" + low + ", " + high + "]"; }
    }

    /**
     * A deterministic sampler: its label, its path for a number of steps, the steps to measure, the order its method
     * has in theory, and the bands its measured order must fall in on the Gaussian and on the 8-Gaussian mixture. On
     * the mixture the fitted range is partly pre-asymptotic (docs/course/07-samplers.md says why), so its bands are
     * the measured orders with a margin, not the theory.
     */
    public record Case(String label, IntFunction<SamplerPath> path, int[] steps, double nominalOrder, Band gaussian, Band mixture) { }

    /** A stochastic sampler, compared in the first two moments (weak error) on the Gaussian. */
    public record StochasticCase(String label, IntFunction<SamplerPath> path, int[] steps, double nominalOrder, Band gaussian) { }

    private static Band band(double low, double high) { return new Band(low, high); }

    public static final List<Case> DETERMINISTIC = List.of(
            new Case("ode-euler", vpOde("ode-euler"), new int[]{16, 32, 64, 128, 256}, 1, band(0.85, 1.15), band(0.8, 1.3)),
            new Case("ode-heun", vpOde("ode-heun"), new int[]{8, 16, 32, 64, 128}, 2, band(1.8, 2.2), band(1.6, 2.3)),
            new Case("ode-rk4", vpOde("ode-rk4"), new int[]{4, 8, 16, 32}, 4, band(3.6, 4.8), band(2.3, 4.8)),
            new Case("ddim", discrete("ddim", Map.of("eta", "0")), new int[]{16, 32, 64, 128, 250}, 1, band(0.85, 1.15), band(0.6, 1.3)),
            new Case("edm-heun", karras("edm-heun", Map.of()), new int[]{8, 16, 32, 64, 128}, 2, band(1.8, 2.3), band(1.5, 2.4)),
            new Case("dpm++2m", karras("dpm++2m", Map.of()), new int[]{16, 32, 64, 128, 256}, 2, band(1.8, 2.3), band(1.5, 2.4)),
            new Case("euler", karras("euler", Map.of()), new int[]{16, 32, 64, 128, 256}, 1, band(0.85, 1.15), band(0.8, 1.3)),
            new Case("heun (chain)", chainSigmas("heun", Map.of()), new int[]{16, 32, 64, 128}, 2, band(1.7, 2.2), band(0.4, 1.1)),
            new Case("dpm++3m", karras("dpm++3m", Map.of()), new int[]{16, 32, 64, 128, 256}, 3, band(1.6, 2.2), band(2.2, 3.1)),
            new Case("unipc", karras("unipc", Map.of()), new int[]{16, 32, 64, 128, 256}, 3, band(2.7, 3.4), band(2.6, 3.4)),
            new Case("lms", karras("lms", Map.of()), new int[]{16, 32, 64, 128, 256}, 4, band(3.0, 3.8), band(2.1, 3.0)));

    public static final List<StochasticCase> STOCHASTIC = List.of(
            new StochasticCase("euler-maruyama", vpSde("euler-maruyama", Map.of()), new int[]{8, 16, 32, 64}, 1, band(0.7, 1.5)),
            new StochasticCase("ddpm", discrete("ddpm", Map.of()), new int[]{16, 32, 64, 128, 256}, 1, band(0.7, 1.3)),
            new StochasticCase("ddim eta=1", discrete("ddim", Map.of("eta", "1")), new int[]{16, 32, 64, 128, 256}, 1, band(0.7, 1.3)),
            new StochasticCase("dpm++2m-sde", karras("dpm++2m-sde", Map.of()), new int[]{8, 16, 32, 64}, 2, band(1.4, 2.5)),
            new StochasticCase("euler-ancestral", karras("euler-ancestral", Map.of()), new int[]{8, 16, 32, 64}, 1, band(0.6, 1.2)),
            new StochasticCase("dpm++3m-sde", karras("dpm++3m-sde", Map.of()), new int[]{8, 16, 32, 64}, 3, band(1.2, 2.0)));

    // ----------------------------------------------------------------------------- path families

    /**
     * A probability-flow ODE sampler on the VP SDE from t = 1 to END_TIME without the final denoising step: x = alpha(t) y,
     * sigma = sigma(t) / alpha(t).
     */
    public static IntFunction<SamplerPath> vpOde(String name) {
        return steps -> new SamplerPath(sampler(name, steps, Map.of("end-time", Double.toString(END_TIME), "denoise-final", "false")),
                VP.noiseLevel(1), VP.priorStd(), VP.meanScale(1), VP.noiseLevel(END_TIME), VP.meanScale(END_TIME), false);
    }

    /** A reverse-SDE sampler on the VP SDE with its final Tweedie step: ends with D at sigma(END_TIME). */
    public static IntFunction<SamplerPath> vpSde(String name, Map<String, String> options) {
        return steps -> new SamplerPath(sampler(name, steps, with(options, "end-time", Double.toString(END_TIME))),
                VP.noiseLevel(1), VP.priorStd(), VP.meanScale(1), VP.noiseLevel(END_TIME), 1, true);
    }

    /**
     * A sampler on the discrete DDPM chain (linear schedule, T = 1000, trailing spacing): starts from x = z at the
     * last index, x = sqrt(alpha-bar) y, and its last step returns x0-hat = D at the smallest sampled index.
     */
    public static IntFunction<SamplerPath> discrete(String name, Map<String, String> options) {
        return steps -> {
            int[] ts = TimestepSpacing.TRAILING.timesteps(LINEAR.steps(), steps);
            int first = ts[0], last = ts[ts.length - 1];
            return new SamplerPath(sampler(name, steps, with(options, "spacing", "trailing")), LINEAR.sigma(first), 1,
                    Math.sqrt(LINEAR.alphaBar(first)), LINEAR.sigma(last), 1, true);
        };
    }

    /**
     * A noise-level sampler on the discrete chain (process=chain: linear schedule, T = 1000, trailing spacing, the same
     * timesteps in every scheduler family): sigma_k = sigma(t_k) of the chain's timesteps, then 0; it starts from the
     * chain's x_T = z, i.e. y = sqrt(1 + sigma_0^2) z = z / sqrt(alpha-bar), and its last step returns D at the
     * smallest sampled index. The path's numbers are those of {@link #discrete}, so the two share exact endpoints.
     */
    public static IntFunction<SamplerPath> chainSigmas(String name, Map<String, String> options) {
        return steps -> {
            int[] ts = TimestepSpacing.TRAILING.timesteps(LINEAR.steps(), steps);
            int first = ts[0], last = ts[ts.length - 1];
            return new SamplerPath(sampler(name, steps, with(with(options, "process", "chain"), "spacing", "trailing")), LINEAR.sigma(first), 1,
                    Math.sqrt(LINEAR.alphaBar(first)), LINEAR.sigma(last), 1, true);
        };
    }

    /** A sampler over Karras et al.'s levels sigma_0 = 80 &gt; ... &gt; sigma_{N-1} = 0.002 &gt; sigma_N = 0, ending with D. */
    public static IntFunction<SamplerPath> karras(String name, Map<String, String> options) {
        return steps -> {
            double[] s = NoiseLevels.karras(steps, SIGMA_MIN, SIGMA_MAX, RHO);
            return new SamplerPath(sampler(name, steps, with(options, "sigma-min", Double.toString(SIGMA_MIN))), s[0], s[0], 1,
                    s[s.length - 2], 1, true);
        };
    }

    private static Sampler sampler(String name, int steps, Map<String, String> options) {
        return Samplers.byName(name, with(options, "steps", Integer.toString(steps)));
    }

    private static Map<String, String> with(Map<String, String> options, String key, String value) {
        Map<String, String> m = new HashMap<>(options);
        m.putIfAbsent(key, value);
        return m;
    }
}
