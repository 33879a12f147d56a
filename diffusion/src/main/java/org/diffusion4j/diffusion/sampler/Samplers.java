package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.ddpm.ReverseVariance;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.schedule.NoiseLevels;
import org.diffusion4j.diffusion.schedule.TimestepSpacing;
import org.diffusion4j.diffusion.sde.EdmSde;
import org.diffusion4j.diffusion.sde.Sde;
import org.diffusion4j.diffusion.sde.SubVpSde;
import org.diffusion4j.diffusion.sde.VeSde;
import org.diffusion4j.diffusion.sde.VpSde;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The sampler registry a command line calls: {@code Samplers.byName("ddim", Map.of("steps", "50"))}. Every sampler
 * has a description and a list of options with defaults ({@link #describe()}); an unknown option is an error that
 * names it.
 */
public final class Samplers {
    private Samplers() { }

    /** One option: its name, default value (as text) and meaning. */
    public record Option(String name, String defaultValue, String description) { }

    /** A sampler's name, what it does, and its options. */
    public record Info(String name, String description, List<Option> options) { }

    private record Entry(Info info, Function<Values, Sampler> factory) { }

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    private static final Option SCHEDULE = new Option("schedule", "linear", "discrete beta schedule: linear (1e-4..0.02), scaled-linear (0.00085..0.012), cosine, sigmoid");
    private static final Option TRAIN_STEPS = new Option("train-steps", "1000", "T, the length of the discrete chain");
    private static final Option SPACING = new Option("spacing", "trailing", "timestep spacing: linspace, leading or trailing (Lin et al. 2023)");
    private static final Option SDE = new Option("sde", "vp", "forward SDE: vp, subvp, ve or edm");
    private static final Option BETA_MIN = new Option("beta-min", "0.1", "VP / sub-VP beta(0)");
    private static final Option BETA_MAX = new Option("beta-max", "20", "VP / sub-VP beta(1)");
    private static final Option SIGMA_MIN = new Option("sigma-min", "0.01", "smallest noise level (VE SDE, Langevin, EDM, DPM-Solver++)");
    private static final Option SIGMA_MAX = new Option("sigma-max", "50", "largest noise level (VE SDE, Langevin, EDM, DPM-Solver++)");
    private static final Option END_TIME = new Option("end-time", "0.001", "time at which integration of the SDE/ODE stops (epsilon)");
    private static final Option DENOISE = new Option("denoise-final", "true", "finish with Tweedie's denoising step (+1 NFE)");
    private static final Option RHO = new Option("rho", "7", "Karras et al. 2022 eq. 5 schedule exponent");

    static {
        register(new Info("ddpm", "DDPM ancestral sampling (Ho et al. 2020, Algorithm 2), respaced to fewer steps if asked",
                        List.of(new Option("steps", "1000", "number of sampling steps"), SCHEDULE, TRAIN_STEPS, SPACING,
                                new Option("variance", "beta-tilde", "reverse variance: beta or beta-tilde"))),
                v -> new DdpmSampler(v.schedule(), v.integer("steps"), v.spacing(), v.variance()));
        register(new Info("ddim", "DDIM (Song et al. 2021, eq. 12); eta = 0 deterministic, eta = 1 ancestral",
                        List.of(new Option("steps", "50", "number of sampling steps"), new Option("eta", "0", "stochasticity"),
                                SCHEDULE, TRAIN_STEPS, SPACING)),
                v -> new DdimSampler(v.schedule(), v.integer("steps"), v.spacing(), v.real("eta")));
        register(new Info("langevin", "annealed Langevin dynamics of NCSN (Song & Ermon 2019, Algorithm 1) over geometric noise levels",
                        List.of(new Option("levels", "10", "number of noise levels L"), new Option("sigma-max", "1", "largest noise level"),
                                new Option("sigma-min", "0.01", "smallest noise level"), new Option("steps-per-level", "100", "Langevin steps T per level"),
                                new Option("step-size", "2e-5", "epsilon; level i uses epsilon sigma_i^2 / sigma_L^2"), DENOISE)),
                v -> new AnnealedLangevinSampler(NoiseLevels.geometric(v.real("sigma-max"), v.real("sigma-min"), v.integer("levels")),
                        v.integer("steps-per-level"), v.real("step-size"), v.bool("denoise-final")));
        register(new Info("euler-maruyama", "Euler-Maruyama on the reverse-time SDE (Song et al. 2021, eq. 6)",
                        List.of(new Option("steps", "1000", "number of steps"), SDE, BETA_MIN, BETA_MAX, SIGMA_MIN, SIGMA_MAX, END_TIME, DENOISE)),
                v -> new EulerMaruyamaSampler(v.sde(), v.integer("steps"), v.real("end-time"), v.bool("denoise-final")));
        register(new Info("pc", "predictor-corrector sampling (Song et al. 2021, Algorithm 1) with a Langevin corrector",
                        List.of(new Option("steps", "1000", "number of predictor steps"),
                                new Option("predictor", "reverse-diffusion", "reverse-diffusion or euler-maruyama"),
                                new Option("corrector-steps", "1", "Langevin corrector steps per predictor step"),
                                new Option("snr", "0.16", "corrector's target signal-to-noise ratio r"),
                                SDE, BETA_MIN, BETA_MAX, SIGMA_MIN, SIGMA_MAX, END_TIME, DENOISE)),
                v -> new PredictorCorrectorSampler(v.sde(), v.integer("steps"),
                        PredictorCorrectorSampler.Predictor.byName(v.text("predictor")), v.integer("corrector-steps"),
                        v.real("snr"), v.real("end-time"), v.bool("denoise-final")));
        for (OdeMethod m : OdeMethod.values()) {
            String name = "ode-" + m.name().toLowerCase(Locale.ROOT);
            register(new Info(name, "probability-flow ODE (Song et al. 2021, eq. 13) with fixed-step " + m.name().toLowerCase(Locale.ROOT),
                            List.of(new Option("steps", m == OdeMethod.EULER ? "500" : "100", "number of steps"),
                                    SDE, BETA_MIN, BETA_MAX, SIGMA_MIN, SIGMA_MAX, END_TIME, DENOISE)),
                    v -> new ProbabilityFlowSampler(v.sde(), m, v.integer("steps"), v.real("end-time"), v.bool("denoise-final")));
        }
        register(new Info("ode-rk45", "probability-flow ODE with adaptive Dormand-Prince RK45",
                        List.of(new Option("rtol", "1e-5", "relative tolerance"), new Option("atol", "1e-5", "absolute tolerance"),
                                SDE, BETA_MIN, BETA_MAX, SIGMA_MIN, SIGMA_MAX, END_TIME, DENOISE)),
                v -> new AdaptiveProbabilityFlowSampler(v.sde(), v.real("rtol"), v.real("atol"), v.real("end-time"), v.bool("denoise-final")));
        for (boolean sde : new boolean[]{false, true}) {
            register(new Info(sde ? "dpm++2m-sde" : "dpm++2m", "DPM-Solver++(2M" + (sde ? ") SDE" : ")") + " (Lu et al. 2022) on Karras noise levels",
                            List.of(new Option("steps", "20", "number of steps (= NFE)"), new Option("sigma-min", "0.002", "smallest nonzero noise level"),
                                    new Option("sigma-max", "80", "largest noise level"), RHO)),
                    v -> new DpmSolverPlusPlusSampler(NoiseLevels.karras(v.integer("steps"), v.real("sigma-min"), v.real("sigma-max"),
                            v.real("rho")), sde));
        }
        register(new Info("edm-heun", "Karras et al. 2022 Algorithm 2 (Heun; deterministic when churn = 0)",
                        List.of(new Option("steps", "18", "number of noise levels N (NFE = 2N - 1)"),
                                new Option("sigma-min", "0.002", "smallest nonzero noise level"), new Option("sigma-max", "80", "largest noise level"),
                                RHO, new Option("churn", "0", "S_churn"), new Option("s-tmin", "0", "S_tmin"),
                                new Option("s-tmax", "Infinity", "S_tmax"), new Option("s-noise", "1", "S_noise"))),
                v -> new EdmHeunSampler(NoiseLevels.karras(v.integer("steps"), v.real("sigma-min"), v.real("sigma-max"), v.real("rho")),
                        v.real("churn"), v.real("s-tmin"), v.real("s-tmax"), v.real("s-noise")));
    }

    private static void register(Info info, Function<Values, Sampler> factory) { REGISTRY.put(info.name(), new Entry(info, factory)); }

    public static List<String> names() { return List.copyOf(REGISTRY.keySet()); }

    /** Every sampler with its description and options. */
    public static List<Info> describe() {
        List<Info> all = new ArrayList<>();
        for (Entry e : REGISTRY.values()) all.add(e.info());
        return all;
    }

    public static Info info(String name) { return entry(name).info(); }

    public static Sampler byName(String name) { return byName(name, Map.of()); }

    /** The named sampler with the given options (text values); missing options take their defaults. */
    public static Sampler byName(String name, Map<String, String> options) {
        Entry e = entry(name);
        Map<String, String> values = new LinkedHashMap<>();
        for (Option o : e.info().options()) values.put(o.name(), o.defaultValue());
        for (Map.Entry<String, String> o : options.entrySet()) {
            if (!values.containsKey(o.getKey())) throw new IllegalArgumentException("sampler '" + name + "' has no option '"
                    + o.getKey() + "' (known: " + values.keySet() + ")");
            values.put(o.getKey(), o.getValue());
        }
        return e.factory().apply(new Values(name, values));
    }

    private static Entry entry(String name) {
        Entry e = REGISTRY.get(name.trim().toLowerCase(Locale.ROOT));
        if (e == null) throw new IllegalArgumentException("unknown sampler '" + name + "': expected one of " + names());
        return e;
    }

    /** Parsed option values of one sampler. */
    private record Values(String sampler, Map<String, String> map) {
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
                return Integer.parseInt(map.get(key));
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

        DiscreteSchedule schedule() {
            int t = integer("train-steps");
            return switch (text("schedule").toLowerCase(Locale.ROOT)) {
                case "linear" -> DiscreteSchedule.linear(t, 1e-4 * 1000 / t, 0.02 * 1000 / t);
                case "scaled-linear" -> DiscreteSchedule.scaledLinear(t, 0.00085 * 1000 / t, 0.012 * 1000 / t);
                case "cosine" -> DiscreteSchedule.cosine(t);
                case "sigmoid" -> DiscreteSchedule.sigmoid(t);
                default -> throw new IllegalArgumentException(sampler + ": unknown schedule '" + text("schedule")
                        + "': expected linear, scaled-linear, cosine or sigmoid");
            };
        }

        TimestepSpacing spacing() { return TimestepSpacing.byName(text("spacing")); }

        ReverseVariance variance() {
            return switch (text("variance").toLowerCase(Locale.ROOT)) {
                case "beta" -> ReverseVariance.BETA;
                case "beta-tilde" -> ReverseVariance.BETA_TILDE;
                default -> throw new IllegalArgumentException(sampler + ": unknown variance '" + text("variance") + "': expected beta or beta-tilde");
            };
        }

        Sde sde() {
            return switch (text("sde").toLowerCase(Locale.ROOT)) {
                case "vp" -> new VpSde(real("beta-min"), real("beta-max"), 1000);
                case "subvp" -> new SubVpSde(real("beta-min"), real("beta-max"));
                case "ve" -> new VeSde(real("sigma-min"), real("sigma-max"));
                case "edm" -> new EdmSde(real("sigma-max"));
                default -> throw new IllegalArgumentException(sampler + ": unknown sde '" + text("sde") + "': expected vp, subvp, ve or edm");
            };
        }
    }
}
