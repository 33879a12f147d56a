package org.diffusion4j.experiments.train;

import org.diffusion4j.diffusion.sampler.Sampler;
import org.diffusion4j.diffusion.sampler.SamplingProcess;
import org.diffusion4j.diffusion.sampler.Samplers;
import org.diffusion4j.diffusion.sde.EdmSde;
import org.diffusion4j.diffusion.sde.Sde;
import org.diffusion4j.diffusion.sde.VeSde;
import org.diffusion4j.diffusion.sde.VpSde;
import org.diffusion4j.experiments.config.DiffusionConfig;
import org.diffusion4j.experiments.config.TrainConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The samplers of the diffusion module, set up for a trained run: the run's forward process, as the typed
 * {@link SamplingProcess} the registry takes, is decided here once from the config, so that a sampler asks the
 * network only about noise levels it was trained on; the user's options are the sampler's own.
 */
public final class RunSamplers {
    private RunSamplers() { }

    /** Where integration of a continuous process stops (the registry's end-time default). */
    private static final double END_TIME = 1e-3;

    /**
     * The process a run was trained on: the discrete chain with its own schedule (and, for the linear schedule, the
     * VP SDE beta(t) = T beta_{tT} that is its continuous limit, Song et al. 2021, Sec. 3.4), or the SDE of a
     * continuous objective with its noise-level range.
     */
    public static SamplingProcess processForRun(TrainConfig config, TrainingSetup setup) {
        DiffusionConfig d = config.diffusion();
        return switch (d.objective()) {
            case "dsm" -> new SamplingProcess.Continuous(new VeSde(d.sigmaMin(), d.sigmaMax()), END_TIME, d.sigmaMin(), d.sigmaMax());
            case "edm" -> new SamplingProcess.Continuous(new EdmSde(d.sigmaMax()), END_TIME, d.sigmaMin(), d.sigmaMax());
            case "vp-sde" -> new SamplingProcess.Continuous(setup.vpSde(), END_TIME);
            default -> new SamplingProcess.Chain(setup.schedule(), d.schedule().equals("linear")
                    ? new VpSde(d.timesteps() * d.betaStart(), d.timesteps() * d.betaEnd(), d.timesteps()) : null);
        };
    }

    /**
     * The named sampler on the run's process with the given number of steps (not used when the user gives explicit
     * timesteps or sigmas) and the user's own sampler options.
     */
    public static Sampler forRun(TrainConfig config, TrainingSetup setup, String name, int steps, Map<String, String> userOptions) {
        SamplingProcess process = processForRun(config, setup);
        Samplers.Info info = Samplers.info(name);
        Map<String, String> options = new LinkedHashMap<>();
        boolean explicit = userOptions.containsKey("timesteps") || userOptions.containsKey("sigmas");
        if (has(info, "steps") && !explicit) options.put("steps", Integer.toString(steps));
        // NCSN's annealed Langevin walks the run's own number of noise levels
        if (has(info, "levels") && process instanceof SamplingProcess.Continuous c && c.sde() instanceof VeSde) {
            options.put("levels", Integer.toString(config.diffusion().noiseLevels()));
        }
        options.putAll(userOptions);
        return Samplers.create(name, process, options);
    }

    private static boolean has(Samplers.Info info, String option) {
        return info.options().stream().anyMatch(o -> o.name().equals(option));
    }

    /**
     * The SDE whose probability-flow ODE a trained run's likelihood integrates: the run's continuous process, or
     * the discrete chain's continuous limit (which only the linear schedule has here).
     */
    public static Sde sdeForRun(TrainConfig config, TrainingSetup setup) {
        return switch (processForRun(config, setup)) {
            case SamplingProcess.Continuous c -> c.sde();
            case SamplingProcess.Chain c -> {
                if (c.continuousLimit() == null) throw new IllegalArgumentException("the likelihood of a run needs a continuous "
                        + "process; diffusion.schedule '" + config.diffusion().schedule() + "' has none here (linear has the VP SDE as its limit)");
                yield c.continuousLimit();
            }
        };
    }
}
