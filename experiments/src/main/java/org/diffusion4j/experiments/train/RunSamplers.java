package org.diffusion4j.experiments.train;

import org.diffusion4j.diffusion.ddpm.ReverseVariance;
import org.diffusion4j.diffusion.sampler.DdimSampler;
import org.diffusion4j.diffusion.sampler.DdpmSampler;
import org.diffusion4j.diffusion.sampler.Sampler;
import org.diffusion4j.diffusion.sampler.Samplers;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.schedule.TimestepSpacing;
import org.diffusion4j.experiments.config.DiffusionConfig;
import org.diffusion4j.experiments.config.TrainConfig;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The samplers of the diffusion module, set up for a trained run: the options that describe the forward
 * process (schedule, SDE, noise range) default to what the run was trained with, so that the sampler asks
 * the network only about noise levels it has seen; the user's options win.
 */
public final class RunSamplers {
    private RunSamplers() { }

    /** The diffusion module's name for a command-line name (dpmpp-2m is dpm++2m there). */
    public static String registryName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "dpmpp-2m" -> "dpm++2m";
            case "dpmpp-2m-sde" -> "dpm++2m-sde";
            default -> n;
        };
    }

    /** The command-line name of a registry name. */
    public static String cliName(String registryName) {
        return registryName.replace("dpm++", "dpmpp-");
    }

    public static Sampler forRun(TrainConfig config, TrainingSetup setup, String name, int steps, Map<String, String> userOptions) {
        String sampler = registryName(name);
        DiffusionConfig d = config.diffusion();
        Map<String, String> options = new LinkedHashMap<>();
        boolean discrete = d.usesDiscreteChain();
        if ((sampler.equals("ddpm") || sampler.equals("ddim")) && discrete) {
            // Built directly on the run's own schedule (the registry's schedules have fixed beta ranges).
            DiscreteSchedule schedule = setup.schedule();
            TimestepSpacing spacing = TimestepSpacing.byName(userOptions.getOrDefault("spacing", "trailing"));
            for (String k : userOptions.keySet()) {
                if (!k.equals("spacing") && !k.equals("eta") && !k.equals("variance")) {
                    throw new IllegalArgumentException("sampler '" + name + "' on a trained run takes the options spacing"
                            + (sampler.equals("ddim") ? ", eta" : ", variance") + "; got '" + k + "'");
                }
            }
            if (sampler.equals("ddim")) {
                return new DdimSampler(schedule, steps, spacing, eta(userOptions.getOrDefault("eta", "0")));
            }
            ReverseVariance variance = userOptions.getOrDefault("variance", "beta-tilde").equals("beta") ? ReverseVariance.BETA
                    : ReverseVariance.BETA_TILDE;
            return new DdpmSampler(schedule, steps, spacing, variance);
        }
        var info = Samplers.info(sampler);
        java.util.Set<String> known = new java.util.HashSet<>();
        for (var o : info.options()) known.add(o.name());
        double[] range = sigmaRange(config, setup);
        putIfKnown(options, known, "steps", Integer.toString(steps));
        switch (d.objective()) {
            case "dsm" -> {
                putIfKnown(options, known, "sde", "ve");
                putIfKnown(options, known, "levels", Integer.toString(d.noiseLevels()));
            }
            case "edm" -> putIfKnown(options, known, "sde", "edm");
            case "vp-sde" -> {
                putIfKnown(options, known, "sde", "vp");
                putIfKnown(options, known, "beta-min", Double.toString(d.betaMin()));
                putIfKnown(options, known, "beta-max", Double.toString(d.betaMax()));
            }
            default -> {
                // The discrete chain's continuous limit is the VP SDE with beta(t) = T beta_{tT} (Song et al. 2021, sec. 3.4).
                putIfKnown(options, known, "sde", "vp");
                if (d.schedule().equals("linear")) {
                    putIfKnown(options, known, "beta-min", Double.toString(d.timesteps() * d.betaStart()));
                    putIfKnown(options, known, "beta-max", Double.toString(d.timesteps() * d.betaEnd()));
                }
            }
        }
        putIfKnown(options, known, "sigma-min", Double.toString(range[0]));
        putIfKnown(options, known, "sigma-max", Double.toString(range[1]));
        options.putAll(userOptions);
        return Samplers.byName(sampler, options);
    }

    private static void putIfKnown(Map<String, String> options, java.util.Set<String> known, String key, String value) {
        if (known.contains(key)) options.put(key, value);
    }

    /**
     * The SDE whose probability-flow ODE a trained run's likelihood integrates: the VP SDE of the run (for the
     * discrete chain its continuous limit beta(t) = T beta_{tT}, exact for the linear schedule), the VE SDE over
     * the NCSN levels, or EDM's sigma(t) = t.
     */
    public static org.diffusion4j.diffusion.sde.Sde sdeForRun(TrainConfig config, TrainingSetup setup) {
        DiffusionConfig d = config.diffusion();
        return switch (d.objective()) {
            case "vp-sde" -> setup.vpSde();
            case "dsm" -> new org.diffusion4j.diffusion.sde.VeSde(d.sigmaMin(), d.sigmaMax());
            case "edm" -> new org.diffusion4j.diffusion.sde.EdmSde(d.sigmaMax());
            default -> {
                if (!d.schedule().equals("linear")) {
                    throw new IllegalArgumentException("the likelihood of a run needs a continuous process; diffusion.schedule '"
                            + d.schedule() + "' has none here (linear has the VP SDE as its limit)");
                }
                yield new org.diffusion4j.diffusion.sde.VpSde(d.timesteps() * d.betaStart(), d.timesteps() * d.betaEnd(), d.timesteps());
            }
        };
    }

    /** The noise levels the run was trained on: [smallest, largest]. */
    static double[] sigmaRange(TrainConfig config, TrainingSetup setup) {
        DiffusionConfig d = config.diffusion();
        return switch (d.objective()) {
            case "dsm", "edm" -> new double[]{d.sigmaMin(), d.sigmaMax()};
            case "vp-sde" -> {
                var sde = setup.vpSde();
                yield new double[]{sde.noiseLevel(1e-3), sde.noiseLevel(1.0)};
            }
            default -> {
                DiscreteSchedule s = setup.schedule();
                int last = s.alphaBar(s.steps() - 1) > 0 ? s.steps() - 1 : s.steps() - 2;
                yield new double[]{s.sigma(0), s.sigma(last)};
            }
        };
    }

    /** DDIM's eta option (-o eta=...), a number. */
    private static double eta(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sampler option eta = '" + text + "': expected a number (0 deterministic, 1 DDPM-like)");
        }
    }
}
