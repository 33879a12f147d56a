package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.ddpm.ReverseVariance;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.schedule.NoiseLevels;
import org.diffusion4j.diffusion.schedule.SigmaInterpolation;
import org.diffusion4j.diffusion.schedule.TimestepSpacing;
import org.diffusion4j.diffusion.sde.EdmSde;
import org.diffusion4j.diffusion.sde.Sde;
import org.diffusion4j.diffusion.sde.SubVpSde;
import org.diffusion4j.diffusion.sde.VeSde;
import org.diffusion4j.diffusion.sde.VpSde;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The sampler registry: every sampler's name, aliases, description, options with their defaults, the processes it runs
 * on, and its factory, in one place. Two ways in:
 * <ul>
 *   <li>{@link #create}(name, process, options): a typed {@link SamplingProcess} (a trained run's) and the sampler's own
 *       options;</li>
 *   <li>{@link #byName}(name, options): the process, too, from options ({@code process=chain|vp|subvp|ve|edm} with
 *       {@code schedule}, {@code train-steps}, {@code beta-min}, {@code beta-max}, {@code sigma-min}, {@code sigma-max},
 *       {@code end-time}), each sampler with its default process (an analytic model's command line).</li>
 * </ul>
 * An unknown option, an option that does not apply to the chosen process, or a process a sampler cannot run on is an
 * error that names it.
 */
public final class Samplers {
    private Samplers() { }

    /** One option: its name, default value (as text) and meaning. */
    public record Option(String name, String defaultValue, String description) { }

    /** A sampler's name, what it does, and its options (its own, then the process options). */
    public record Info(String name, String description, List<Option> options) { }

    /** The processes a sampler runs on. */
    private enum Runs { CHAIN, SDE, SIGMAS, VE }

    private record Entry(Info info, Runs runs, BiFunction<SamplingProcess, Values, Sampler> factory) { }

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();
    private static final Map<String, String> ALIASES = new LinkedHashMap<>();

    // ------------------------------------------------------------------ process options (one place for their defaults)

    private static final String AUTO = "auto";
    private static final Option SCHEDULE = new Option("schedule", "linear", "chain: beta schedule linear (1e-4..0.02), scaled-linear (0.00085..0.012), cosine, sigmoid");
    private static final Option TRAIN_STEPS = new Option("train-steps", "1000", "chain: T, its number of steps");
    private static final Option BETA_MIN = new Option("beta-min", "0.1", "vp, subvp: beta(0)");
    private static final Option BETA_MAX = new Option("beta-max", "20", "vp, subvp: beta(1)");
    private static final Option END_TIME = new Option("end-time", "0.001", "continuous processes: the time epsilon where integration stops");
    private static final Set<String> PROCESS_KEYS = Set.of("process", "schedule", "train-steps", "beta-min", "beta-max",
            "sigma-min", "sigma-max", "end-time");

    private static List<Option> processOptions(String process, String veSigmaMin, String veSigmaMax) {
        return List.of(new Option("process", process, "the forward process: chain (discrete DDPM), vp, subvp, ve or edm"),
                SCHEDULE, TRAIN_STEPS, BETA_MIN, BETA_MAX,
                new Option("sigma-min", AUTO, "smallest noise level: ve " + veSigmaMin + ", edm 0.002, else the process's own"),
                new Option("sigma-max", AUTO, "largest noise level: ve " + veSigmaMax + ", edm 80, else the process's own"),
                END_TIME);
    }

    // ------------------------------------------------------------------ sampler options shared by several samplers

    private static final Option SPACING = new Option("spacing", "trailing", "chain: timestep spacing linspace, leading or trailing, as diffusers' scheduler of this family (Lin et al. 2023)");
    private static final Option TIMESTEPS = new Option("timesteps", "", "chain: explicit timesteps, descending, comma-separated (0-based, as diffusers); replaces steps and spacing");
    private static final Option DENOISE = new Option("denoise-final", "true", "finish with Tweedie's denoising step (+1 NFE)");
    private static final Option RHO = new Option("rho", "7", "Karras et al. 2022 eq. 5 schedule exponent");

    /** The options every noise-level sampler shares (steps default given). */
    private static List<Option> sigmaOptions(String steps) {
        return List.of(new Option("steps", steps, "number of noise levels N before the final 0"),
                new Option("sigma-schedule", "schedule", "schedule (the process's own: the chain's spaced timesteps, EDM's eq. 5, "
                        + "else uniform time), karras or exponential, over [sigma-min, sigma-max]"),
                RHO, SPACING, new Option("interpolation", "log", "chain: sigma at fractional timesteps, log (log-sigma linear) or linear (numpy.interp, diffusers)"),
                TIMESTEPS, new Option("sigmas", "", "explicit noise levels, descending, comma-separated, ending with 0; replace steps and the schedule"),
                new Option("start", "process", "x_T: process (the process's prior point for z, the same for every sampler) or sigma (sigma_0 z, diffusers' Euler family with linspace/trailing spacing)"));
    }

    private static List<Option> concat(List<Option> own, List<Option> more) {
        List<Option> all = new ArrayList<>(own);
        all.addAll(more);
        return List.copyOf(all);
    }

    private static void register(String name, String description, Runs runs, List<Option> own, List<Option> process,
                                 BiFunction<SamplingProcess, Values, Sampler> factory, String... aliases) {
        REGISTRY.put(name, new Entry(new Info(name, description, concat(own, process)), runs, factory));
        for (String a : aliases) ALIASES.put(a, name);
    }

    static {
        List<Option> chain = processOptions("chain", "0.01", "50");
        List<Option> sde = processOptions("vp", "0.01", "50");
        List<Option> edm = processOptions("edm", "0.01", "50");
        register("ddpm", "DDPM ancestral sampling (Ho et al. 2020, Algorithm 2), respaced to fewer steps if asked", Runs.CHAIN,
                List.of(new Option("steps", "1000", "number of sampling steps"), SPACING, TIMESTEPS,
                        new Option("variance", "beta-tilde", "reverse variance: beta or beta-tilde")), chain,
                (p, v) -> new DdpmSampler(v.chain(p).schedule(), v.chainTimesteps(p), v.variance()));
        register("ddim", "DDIM (Song et al. 2021, eq. 12); eta = 0 deterministic, eta = 1 ancestral", Runs.CHAIN,
                List.of(new Option("steps", "50", "number of sampling steps"), new Option("eta", "0", "stochasticity"), SPACING, TIMESTEPS,
                        new Option("step-rule", "next", "next (each step to the next timestep) or ratio (to t - T // S, diffusers' DDIMScheduler)")), chain,
                (p, v) -> {
                    int[] ts = v.chainTimesteps(p);
                    int stride = switch (v.text("step-rule").trim().toLowerCase(Locale.ROOT)) {
                        case "next" -> 0;
                        case "ratio" -> v.chain(p).schedule().steps() / ts.length;
                        default -> throw new IllegalArgumentException("ddim: unknown step-rule '" + v.text("step-rule") + "': expected next or ratio");
                    };
                    return new DdimSampler(v.chain(p).schedule(), ts, v.real("eta"), stride);
                });
        register("langevin", "annealed Langevin dynamics of NCSN (Song & Ermon 2019, Algorithm 1) over geometric noise levels", Runs.VE,
                List.of(new Option("levels", "10", "number of noise levels L from sigma-max to sigma-min"),
                        new Option("steps-per-level", "100", "Langevin steps T per level"),
                        new Option("step-size", "2e-5", "epsilon; level i uses epsilon sigma_i^2 / sigma_L^2"), DENOISE),
                processOptions("ve", "0.01", "1"),
                (p, v) -> new AnnealedLangevinSampler(NoiseLevels.geometric(p.sigmaMax(), p.sigmaMin(), v.integer("levels")),
                        v.integer("steps-per-level"), v.real("step-size"), v.bool("denoise-final")));
        register("euler-maruyama", "Euler-Maruyama on the reverse-time SDE (Song et al. 2021, eq. 6)", Runs.SDE,
                List.of(new Option("steps", "1000", "number of steps"), DENOISE), sde,
                (p, v) -> new EulerMaruyamaSampler(v.sde(p), v.integer("steps"), v.endTime(p), v.bool("denoise-final")));
        register("pc", "predictor-corrector sampling (Song et al. 2021, Algorithm 1) with a Langevin corrector", Runs.SDE,
                List.of(new Option("steps", "1000", "number of predictor steps"),
                        new Option("predictor", "reverse-diffusion", "reverse-diffusion or euler-maruyama"),
                        new Option("corrector-steps", "1", "Langevin corrector steps per predictor step"),
                        new Option("snr", "0.16", "corrector's target signal-to-noise ratio r"), DENOISE), sde,
                (p, v) -> new PredictorCorrectorSampler(v.sde(p), v.integer("steps"),
                        PredictorCorrectorSampler.Predictor.byName(v.text("predictor")), v.integer("corrector-steps"),
                        v.real("snr"), v.endTime(p), v.bool("denoise-final")));
        for (OdeMethod m : OdeMethod.values()) {
            String method = m.name().toLowerCase(Locale.ROOT);
            register("ode-" + method, "probability-flow ODE (Song et al. 2021, eq. 13) with fixed-step " + method, Runs.SDE,
                    List.of(new Option("steps", m == OdeMethod.EULER ? "500" : "100", "number of steps"), DENOISE), sde,
                    (p, v) -> new ProbabilityFlowSampler(v.sde(p), m, v.integer("steps"), v.endTime(p), v.bool("denoise-final")));
        }
        register("ode-rk45", "probability-flow ODE with adaptive Dormand-Prince RK45", Runs.SDE,
                List.of(new Option("rtol", "1e-5", "relative tolerance"), new Option("atol", "1e-5", "absolute tolerance"), DENOISE), sde,
                (p, v) -> new AdaptiveProbabilityFlowSampler(v.sde(p), v.real("rtol"), v.real("atol"), v.endTime(p), v.bool("denoise-final")));
        register("euler", "Euler on the probability-flow ODE over noise levels (Karras et al. 2022, Algorithm 1 without Heun; "
                + "k-diffusion sample_euler, diffusers EulerDiscreteScheduler)", Runs.SIGMAS, sigmaOptions("20"), edm,
                (p, v) -> new EulerSampler(v.path(p, TimestepSpacing.Family.EULER)));
        register("euler-ancestral", "Euler ancestral (k-diffusion sample_euler_ancestral, diffusers EulerAncestralDiscreteScheduler)",
                Runs.SIGMAS, concat(sigmaOptions("20"), List.of(new Option("eta", "1", "share of the ancestral noise (0: Euler)"))), edm,
                (p, v) -> new EulerAncestralSampler(v.path(p, TimestepSpacing.Family.EULER), v.real("eta")), "euler-a");
        register("edm-heun", "Heun (Karras et al. 2022 Algorithm 2; deterministic Algorithm 1 when churn = 0; k-diffusion sample_heun, "
                        + "diffusers HeunDiscreteScheduler)", Runs.SIGMAS,
                concat(sigmaOptions("18"), List.of(new Option("churn", "0", "S_churn"), new Option("s-tmin", "0", "S_tmin"),
                        new Option("s-tmax", "Infinity", "S_tmax"), new Option("s-noise", "1", "S_noise"))), edm,
                (p, v) -> new EdmHeunSampler(v.path(p, TimestepSpacing.Family.EULER), v.real("churn"), v.real("s-tmin"),
                        v.real("s-tmax"), v.real("s-noise")), "heun");
        for (int order = 2; order <= 3; order++) {
            for (boolean stochastic : new boolean[]{false, true}) {
                int k = order;
                String name = "dpm++" + order + "m" + (stochastic ? "-sde" : "");
                register(name, "DPM-Solver++(" + order + "M)" + (stochastic ? " SDE" : "") + " (Lu et al. 2022; diffusers "
                                + "DPMSolverMultistepScheduler)", Runs.SIGMAS,
                        concat(sigmaOptions("20"), List.of(new Option("lower-order-final", "true",
                                "second order at most on the second-to-last step when steps < 15 (the last is always first order)"))), edm,
                        (p, v) -> new DpmSolverPlusPlusSampler(v.path(p, TimestepSpacing.Family.MULTISTEP), k, stochastic,
                                v.bool("lower-order-final")), "dpmpp-" + order + "m" + (stochastic ? "-sde" : ""));
            }
        }
        register("lms", "linear multistep in sigma (k-diffusion sample_lms, diffusers LMSDiscreteScheduler)", Runs.SIGMAS,
                concat(sigmaOptions("20"), List.of(new Option("order", "4", "number of slopes, 1 to 4"))), edm,
                (p, v) -> new LmsSampler(v.path(p, TimestepSpacing.Family.EULER), v.integer("order")));
        register("unipc", "UniPC bh2 (Zhao et al. 2023; diffusers UniPCMultistepScheduler)", Runs.SIGMAS,
                concat(sigmaOptions("20"), List.of(new Option("order", "2", "solver order 1, 2 or 3"),
                        new Option("lower-order-final", "true", "lower the order over the last steps"))), edm,
                (p, v) -> new UniPcSampler(v.path(p, TimestepSpacing.Family.MULTISTEP), v.integer("order"), v.bool("lower-order-final")),
                "unipc-bh2");
    }

    // ------------------------------------------------------------------ lookup

    public static List<String> names() { return List.copyOf(REGISTRY.keySet()); }

    /** The registry name of a name or alias: case and '_' / '-' do not matter ("DPMPP_2M" is "dpm++2m"). */
    public static String canonicalName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        n = ALIASES.getOrDefault(n, n);
        if (!REGISTRY.containsKey(n)) throw new IllegalArgumentException("unknown sampler '" + name + "': expected one of "
                + names() + " (or an alias: " + ALIASES.keySet() + ")");
        return n;
    }

    /** The shell-friendly name a command line prints for a registry name (dpm++2m is dpmpp-2m). */
    public static String cliName(String registryName) { return registryName.replace("dpm++", "dpmpp-"); }

    /** Every sampler with its description and options. */
    public static List<Info> describe() {
        List<Info> all = new ArrayList<>();
        for (Entry e : REGISTRY.values()) all.add(e.info());
        return all;
    }

    public static Info info(String name) { return REGISTRY.get(canonicalName(name)).info(); }

    /** The default of one of the sampler's options. */
    public static String defaultOf(String name, String option) {
        for (Option o : info(name).options()) if (o.name().equals(option)) return o.defaultValue();
        throw new IllegalArgumentException("sampler '" + name + "' has no option '" + option + "'");
    }

    public static Sampler byName(String name) { return byName(name, Map.of()); }

    /** The named sampler with the given options (text values); the process comes from the options too. */
    public static Sampler byName(String name, Map<String, String> options) {
        String n = canonicalName(name);
        Entry e = REGISTRY.get(n);
        Values v = values(n, e, options);
        return e.factory().apply(v.process(), v);
    }

    /**
     * The named sampler on the given process (a trained run's) with its own options; the process options
     * ({@code process}, {@code schedule}, {@code sde}, ...) are not allowed here, since the process is given.
     */
    public static Sampler create(String name, SamplingProcess process, Map<String, String> options) {
        if (process == null) throw new IllegalArgumentException("process must not be null");
        String n = canonicalName(name);
        Entry e = REGISTRY.get(n);
        for (String k : options.keySet()) {
            String key = k.equals("sde") ? "process" : k;
            if (PROCESS_KEYS.contains(key)) throw new IllegalArgumentException("sampler '" + n + "': option '" + k
                    + "' describes the process, which is given here (" + process + ")");
        }
        return e.factory().apply(process, values(n, e, options));
    }

    private static Values values(String name, Entry e, Map<String, String> options) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Option o : e.info().options()) values.put(o.name(), o.defaultValue());
        Set<String> given = new LinkedHashSet<>();
        for (Map.Entry<String, String> o : options.entrySet()) {
            String key = o.getKey().equals("sde") ? "process" : o.getKey();   // the one alias of an option
            if (!values.containsKey(key)) throw new IllegalArgumentException("sampler '" + name + "' has no option '"
                    + o.getKey() + "' (known: " + values.keySet() + ")");
            values.put(key, o.getValue());
            given.add(key);
        }
        return new Values(name, e.runs(), values, given);
    }

    /** Parsed option values of one sampler, and which of them the user gave. */
    private record Values(String sampler, Runs runs, Map<String, String> map, Set<String> given) {
        String text(String key) { return map.get(key); }

        double real(String key) {
            try {
                return Double.parseDouble(map.get(key));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(sampler + ": option " + key + " = '" + map.get(key) + "' is not a number");
            }
        }

        int integer(String key) {
            try {
                return Integer.parseInt(map.get(key).trim());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(sampler + ": option " + key + " = '" + map.get(key) + "' is not an integer");
            }
        }

        boolean bool(String key) {
            String v = map.get(key).toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) throw new IllegalArgumentException(sampler + ": option " + key + " = '"
                    + map.get(key) + "' is not true or false");
            return Boolean.parseBoolean(v);
        }

        double[] list(String key) {
            String[] parts = map.get(key).split(",");
            double[] out = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    out[i] = Double.parseDouble(parts[i].trim());
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException(sampler + ": option " + key + ": '" + parts[i] + "' is not a number");
                }
            }
            return out;
        }

        /** A process option the user gave must belong to the chosen process. */
        private void onlyFor(String process, String... allowed) {
            Set<String> ok = Set.of(allowed);
            for (String k : given) {
                if (PROCESS_KEYS.contains(k) && !k.equals("process") && !ok.contains(k)) throw new IllegalArgumentException(
                        sampler + ": option " + k + " does not apply to process " + process + " (its options: " + ok + ")");
            }
        }

        private double sigmaOption(String key, double fallback) { return text(key).equals(AUTO) ? fallback : real(key); }

        /** The process the options describe. */
        SamplingProcess process() {
            String kind = text("process").trim().toLowerCase(Locale.ROOT);
            double end = real("end-time");
            return switch (kind) {
                case "chain", "ddpm", "discrete" -> {
                    onlyFor("chain", "schedule", "train-steps");
                    int t = integer("train-steps");
                    String name = text("schedule").toLowerCase(Locale.ROOT);
                    // the linear chain's continuous limit: beta(t) = T beta_{tT} (Song et al. 2021, Sec. 3.4)
                    yield new SamplingProcess.Chain(schedule(name, t), name.equals("linear") ? new VpSde(0.1, 20, t) : null);
                }
                case "vp", "subvp" -> {
                    onlyFor(kind, "beta-min", "beta-max", "end-time", "sigma-min", "sigma-max");
                    Sde s = kind.equals("vp") ? new VpSde(real("beta-min"), real("beta-max"), 1000) : new SubVpSde(real("beta-min"), real("beta-max"));
                    yield new SamplingProcess.Continuous(s, end, sigmaOption("sigma-min", s.noiseLevel(end)),
                            sigmaOption("sigma-max", s.noiseLevel(s.endTime())));
                }
                case "ve" -> {
                    onlyFor(kind, "sigma-min", "sigma-max", "end-time");
                    boolean langevin = runs == Runs.VE;
                    double lo = sigmaOption("sigma-min", 0.01), hi = sigmaOption("sigma-max", langevin ? 1 : 50);
                    yield new SamplingProcess.Continuous(new VeSde(lo, hi), end, lo, hi);
                }
                case "edm" -> {
                    onlyFor(kind, "sigma-min", "sigma-max", "end-time");
                    double lo = sigmaOption("sigma-min", 0.002), hi = sigmaOption("sigma-max", 80);
                    yield new SamplingProcess.Continuous(new EdmSde(hi), end, lo, hi);
                }
                default -> throw new IllegalArgumentException(sampler + ": unknown process '" + text("process")
                        + "': expected chain, vp, subvp, ve or edm");
            };
        }

        private DiscreteSchedule schedule(String name, int t) {
            return switch (name) {
                case "linear" -> DiscreteSchedule.linear(t, 1e-4 * 1000 / t, 0.02 * 1000 / t);
                case "scaled-linear" -> DiscreteSchedule.scaledLinear(t, 0.00085 * 1000 / t, 0.012 * 1000 / t);
                case "cosine" -> DiscreteSchedule.cosine(t);
                case "sigmoid" -> DiscreteSchedule.sigmoid(t);
                default -> throw new IllegalArgumentException(sampler + ": unknown schedule '" + name
                        + "': expected linear, scaled-linear, cosine or sigmoid");
            };
        }

        SamplingProcess.Chain chain(SamplingProcess p) {
            if (p instanceof SamplingProcess.Chain c) return c;
            throw new IllegalArgumentException(sampler + " runs on the discrete chain (process=chain), not on " + p);
        }

        /** The SDE of a continuous process, or the chain's continuous limit. */
        Sde sde(SamplingProcess p) {
            return switch (p) {
                case SamplingProcess.Continuous c -> c.sde();
                case SamplingProcess.Chain c -> {
                    if (c.continuousLimit() == null) throw new IllegalArgumentException(sampler + " integrates an SDE; the chain "
                            + c.schedule() + " has no continuous limit here (the linear schedule has the VP SDE)");
                    yield c.continuousLimit();
                }
            };
        }

        double endTime(SamplingProcess p) {
            if (p instanceof SamplingProcess.Continuous c && !given.contains("end-time")) return c.endTime();
            return real("end-time");
        }

        /** Explicit timesteps, or the spacing's (DDIM family) over steps. */
        int[] chainTimesteps(SamplingProcess p) {
            DiscreteSchedule s = chain(p).schedule();
            if (!text("timesteps").isBlank()) {
                if (given.contains("steps")) throw new IllegalArgumentException(sampler + ": give steps or timesteps, not both");
                double[] t = list("timesteps");
                int[] out = new int[t.length];
                for (int i = 0; i < t.length; i++) {
                    if (t[i] != Math.rint(t[i])) throw new IllegalArgumentException(sampler + ": timestep " + t[i] + " is not an integer");
                    if (t[i] < 0 || t[i] > s.steps() - 1) throw new IllegalArgumentException(sampler + ": timestep " + (long) t[i]
                            + " is outside [0, " + (s.steps() - 1) + "]");
                    if (i > 0 && !(t[i] < t[i - 1])) throw new IllegalArgumentException(sampler + ": timesteps must decrease, "
                            + (long) t[i] + " after " + (long) t[i - 1]);
                    out[i] = (int) t[i];
                }
                return out;
            }
            return TimestepSpacing.byName(text("spacing")).timesteps(s.steps(), integer("steps"));
        }

        ReverseVariance variance() {
            return switch (text("variance").toLowerCase(Locale.ROOT)) {
                case "beta" -> ReverseVariance.BETA;
                case "beta-tilde" -> ReverseVariance.BETA_TILDE;
                default -> throw new IllegalArgumentException(sampler + ": unknown variance '" + text("variance") + "': expected beta or beta-tilde");
            };
        }

        /** The noise levels of a noise-level sampler and its start, from the options and the process. */
        SigmaPath path(SamplingProcess p, TimestepSpacing.Family family) {
            boolean explicitSigmas = !text("sigmas").isBlank(), explicitTimesteps = !text("timesteps").isBlank();
            if (explicitSigmas && explicitTimesteps) throw new IllegalArgumentException(sampler + ": give sigmas or timesteps, not both");
            if ((explicitSigmas || explicitTimesteps) && (given.contains("steps") || given.contains("sigma-schedule")
                    || given.contains("spacing"))) throw new IllegalArgumentException(sampler
                    + ": explicit sigmas or timesteps replace steps, sigma-schedule and spacing; give one or the other");
            boolean chain = p instanceof SamplingProcess.Chain;
            if (!chain) for (String k : List.of("spacing", "interpolation", "timesteps")) {
                if (given.contains(k)) throw new IllegalArgumentException(sampler + ": option " + k + " applies to the discrete chain, not to " + p);
            }
            SigmaInterpolation interpolation = SigmaInterpolation.byName(text("interpolation"));
            double[] sigmas;
            if (explicitSigmas) {
                sigmas = list("sigmas");
            } else if (explicitTimesteps) {
                sigmas = NoiseLevels.ofTimesteps(chain(p).schedule(), list("timesteps"), interpolation);
            } else {
                int steps = integer("steps");
                sigmas = switch (text("sigma-schedule").trim().toLowerCase(Locale.ROOT)) {
                    case "schedule" -> switch (p) {
                        case SamplingProcess.Chain c -> NoiseLevels.ofTimesteps(c.schedule(),
                                TimestepSpacing.byName(text("spacing")).timesteps(c.schedule().steps(), steps, family), interpolation);
                        case SamplingProcess.Continuous c when c.sde() instanceof EdmSde ->
                                NoiseLevels.karras(steps, c.sigmaMin(), c.sigmaMax(), real("rho"));
                        case SamplingProcess.Continuous c -> NoiseLevels.uniformInTime(c.sde(), c.sde().endTime(), c.endTime(), steps);
                    };
                    case "karras" -> NoiseLevels.karras(steps, p.sigmaMin(), p.sigmaMax(), real("rho"));
                    case "exponential" -> NoiseLevels.exponential(steps, p.sigmaMin(), p.sigmaMax());
                    default -> throw new IllegalArgumentException(sampler + ": unknown sigma-schedule '" + text("sigma-schedule")
                            + "': expected schedule, karras or exponential");
                };
            }
            return switch (text("start").trim().toLowerCase(Locale.ROOT)) {
                case "process" -> SigmaPath.on(p, sigmas);
                case "sigma" -> SigmaPath.exploding(sigmas);
                default -> throw new IllegalArgumentException(sampler + ": unknown start '" + text("start") + "': expected process or sigma");
            };
        }
    }
}
