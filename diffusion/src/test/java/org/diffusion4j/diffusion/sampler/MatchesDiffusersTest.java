package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.diffusion4j.diffusion.sampler.DiffusersTranscription.Spacing.LEADING;
import static org.diffusion4j.diffusion.sampler.DiffusersTranscription.Spacing.LINSPACE;
import static org.diffusion4j.diffusion.sampler.DiffusersTranscription.Spacing.TRAILING;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each registry sampler with a counterpart in diffusers (or k-diffusion, whose Euler, Heun and DPM-Solver++(2M) on
 * EDM's noise levels are the same algorithms) reproduces a float64 transcription of that scheduler
 * ({@link DiffusersTranscription}) on the 8-Gaussian mixture from the same z and the same per-step noise: final samples
 * within 1e-6 relative (max |ours - reference| / max |reference|), built through the registry options a command line
 * passes.
 */
class MatchesDiffusersTest {
    private static final int N = 48, T = 1000;
    private static final DiscreteSchedule LINEAR = DiscreteSchedule.ddpmLinear();

    record Case(String label, String sampler, Map<String, String> options, Function<DiffusersTranscription, double[]> reference) {
        @Override public String toString() { return label; }
    }

    private static Map<String, String> opts(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    private static double[] eulerSigmas(int s, DiffusersTranscription.Spacing spacing) {
        return DiffusersTranscription.interpSigmas(LINEAR, DiffusersTranscription.eulerTimesteps(T, s, spacing));
    }

    private static double[] multistepSigmas(int s, DiffusersTranscription.Spacing spacing) {
        return DiffusersTranscription.interpSigmas(LINEAR, DiffusersTranscription.multistepTimesteps(T, s, spacing));
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        double sMin = LINEAR.sigma(0), sMax = LINEAR.sigma(T - 1);
        // diffusers' Euler-family defaults: linspace (unrounded), sigma linear in t, x_T = sigma_max z
        for (int s : new int[]{7, 20}) {
            double[] sig = eulerSigmas(s, LINSPACE);
            c.add(new Case("euler linspace " + s, "euler", opts("process", "chain", "steps", "" + s, "spacing", "linspace",
                    "interpolation", "linear", "start", "sigma"), r -> r.euler(sig, DiffusersTranscription.initNoiseSigma(sig, LINSPACE))));
        }
        double[] lead = eulerSigmas(15, LEADING);
        c.add(new Case("euler leading 15 (x_T = sqrt(sigma^2 + 1) z, the process's start)", "euler",
                opts("process", "chain", "steps", "15", "spacing", "leading", "interpolation", "linear"),
                r -> r.euler(lead, DiffusersTranscription.initNoiseSigma(lead, LEADING))));
        double[] trail = eulerSigmas(9, TRAILING);
        c.add(new Case("euler trailing 9", "euler", opts("process", "chain", "steps", "9", "spacing", "trailing", "start", "sigma"),
                r -> r.euler(trail, trail[0])));
        double[] karras12 = DiffusersTranscription.karras(sMin, sMax, 12);
        c.add(new Case("euler karras 12 on the chain", "euler", opts("process", "chain", "steps", "12", "sigma-schedule", "karras",
                "start", "sigma"), r -> r.euler(karras12, karras12[0])));
        double[] ea = eulerSigmas(20, LINSPACE);
        c.add(new Case("euler-ancestral linspace 20", "euler-ancestral", opts("process", "chain", "steps", "20", "spacing", "linspace",
                "interpolation", "linear", "start", "sigma"), r -> r.eulerAncestral(ea, ea[0])));
        double[] heun = eulerSigmas(10, LINSPACE);
        c.add(new Case("heun linspace 10", "heun", opts("process", "chain", "steps", "10", "spacing", "linspace",
                "interpolation", "linear", "start", "sigma"), r -> r.heun(heun, heun[0])));
        for (int s : new int[]{3, 12}) {
            double[] lms = eulerSigmas(s, LINSPACE);
            c.add(new Case("lms linspace " + s, "lms", opts("process", "chain", "steps", "" + s, "spacing", "linspace",
                    "interpolation", "linear", "start", "sigma"), r -> r.lms(lms, lms[0], 4)));
        }
        double[] edmLms = DiffusersTranscription.karras(0.002, 80, 18);
        c.add(new Case("lms on edm karras 18", "lms", opts("steps", "18"), r -> r.lms(edmLms, 80, 4)));
        // DDIM and DDPM: diffusers' rounded timesteps (numpy half-even for linspace), x_T = z
        for (String spacing : new String[]{"linspace", "leading", "trailing"}) {
            int[] ts = org.diffusion4j.diffusion.schedule.TimestepSpacing.byName(spacing).timesteps(T, 7);
            c.add(new Case("ddim " + spacing + " 7, step rule ratio", "ddim", opts("steps", "7", "spacing", spacing, "step-rule", "ratio"),
                    r -> r.ddim(LINEAR, ts, 0)));
            c.add(new Case("ddim eta 1 " + spacing + " 7, step rule ratio", "ddim", opts("steps", "7", "spacing", spacing,
                    "step-rule", "ratio", "eta", "1"), r -> r.ddim(LINEAR, ts, 1)));
            c.add(new Case("ddpm " + spacing + " 7", "ddpm", opts("steps", "7", "spacing", spacing), r -> r.ddpm(LINEAR, ts)));
        }
        int[] ten = org.diffusion4j.diffusion.schedule.TimestepSpacing.TRAILING.timesteps(T, 10);
        c.add(new Case("ddim trailing 10, step rule next (the same for T divisible by S)", "ddim", opts("steps", "10"),
                r -> r.ddim(LINEAR, ten, 0)));
        // DPM-Solver++ and UniPC: x_T = z on the chain (init_noise_sigma 1), the same point as DDIM's
        for (int s : new int[]{6, 10, 20}) {
            double[] sig = multistepSigmas(s, LINSPACE);
            c.add(new Case("dpm++2m linspace " + s, "dpm++2m", opts("process", "chain", "steps", "" + s, "spacing", "linspace"),
                    r -> r.dpmSolver(sig, 2, false, true, 1)));
            c.add(new Case("dpm++3m linspace " + s, "dpm++3m", opts("process", "chain", "steps", "" + s, "spacing", "linspace"),
                    r -> r.dpmSolver(sig, 3, false, true, 1)));
            c.add(new Case("unipc bh2 linspace " + s, "unipc", opts("process", "chain", "steps", "" + s, "spacing", "linspace"),
                    r -> r.uniPc(sig, 2, true, 1)));
        }
        double[] m12 = multistepSigmas(12, LINSPACE);
        c.add(new Case("dpm++2m-sde linspace 12", "dpm++2m-sde", opts("process", "chain", "steps", "12", "spacing", "linspace"),
                r -> r.dpmSolver(m12, 2, true, true, 1)));
        c.add(new Case("dpm++3m-sde linspace 12", "dpm++3m-sde", opts("process", "chain", "steps", "12", "spacing", "linspace"),
                r -> r.dpmSolver(m12, 3, true, true, 1)));
        c.add(new Case("dpm++3m linspace 12 without lower-order-final", "dpm++3m", opts("process", "chain", "steps", "12",
                "spacing", "linspace", "lower-order-final", "false"), r -> r.dpmSolver(m12, 3, false, false, 1)));
        c.add(new Case("unipc order 3 linspace 12", "unipc", opts("process", "chain", "steps", "12", "spacing", "linspace", "order", "3"),
                r -> r.uniPc(m12, 3, true, 1)));
        c.add(new Case("unipc order 1 linspace 12", "unipc", opts("process", "chain", "steps", "12", "spacing", "linspace", "order", "1"),
                r -> r.uniPc(m12, 1, true, 1)));
        double[] lead8 = multistepSigmas(8, LEADING), trail8 = multistepSigmas(8, TRAILING);
        c.add(new Case("dpm++2m leading 8", "dpm++2m", opts("process", "chain", "steps", "8", "spacing", "leading"),
                r -> r.dpmSolver(lead8, 2, false, true, 1)));
        c.add(new Case("unipc trailing 8", "unipc", opts("process", "chain", "steps", "8", "spacing", "trailing"),
                r -> r.uniPc(trail8, 2, true, 1)));
        double[] k10 = DiffusersTranscription.karras(sMin, sMax, 10);
        c.add(new Case("dpm++2m karras 10 on the chain", "dpm++2m", opts("process", "chain", "steps", "10", "sigma-schedule", "karras"),
                r -> r.dpmSolver(k10, 2, false, true, 1)));
        // continuous: EDM's noise levels (k-diffusion's defaults), x_T = sigma_max z
        double[] edm = DiffusersTranscription.karras(0.002, 80, 18);
        double vpStart = 80 / Math.sqrt(80 * 80 + 1);
        c.add(new Case("euler on edm karras 18", "euler", opts("steps", "18"), r -> r.euler(edm, 80)));
        c.add(new Case("heun on edm karras 18", "heun", opts("steps", "18"), r -> r.heun(edm, 80)));
        c.add(new Case("dpm++2m on edm karras 18", "dpm++2m", opts("steps", "18"), r -> r.dpmSolver(edm, 2, false, true, vpStart)));
        c.add(new Case("dpm++3m on edm karras 18", "dpm++3m", opts("steps", "18"), r -> r.dpmSolver(edm, 3, false, true, vpStart)));
        c.add(new Case("unipc on edm karras 18", "unipc", opts("steps", "18"), r -> r.uniPc(edm, 2, true, vpStart)));
        c.add(new Case("euler-ancestral on edm karras 18", "euler-ancestral", opts("steps", "18"), r -> r.eulerAncestral(edm, 80)));
        // explicit sigmas on the VP SDE: x_T = z / alpha(sigma_0) in VE coordinates, i.e. z on the process's own
        String list = "60,20,5,1.5,0.4,0.1,0.02,0";
        double[] explicit = {60, 20, 5, 1.5, 0.4, 0.1, 0.02, 0};
        c.add(new Case("dpm++2m on vp, explicit sigmas", "dpm++2m", opts("process", "vp", "sigmas", list),
                r -> r.dpmSolver(explicit, 2, false, true, 1)));
        c.add(new Case("euler on vp, explicit sigmas", "euler", opts("process", "vp", "sigmas", list),
                r -> r.euler(explicit, Math.sqrt(1 + 60 * 60))));
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reproducesTheTranscription(Case c) {
        GaussianMixture g = AnalyticModels.eightGaussians();
        long seed = 11;
        double[] ours = Samplers.byName(c.sampler(), c.options()).sample(g, SampleRequest.of(seed, N, 2)).samples().toDoubleArray();
        double[] ref = c.reference().apply(new DiffusersTranscription(g, N, seed));
        double err = 0, scale = 0;
        for (int i = 0; i < ref.length; i++) {
            assertTrue(Double.isFinite(ref[i]), c + ": reference not finite at " + i);
            err = Math.max(err, Math.abs(ours[i] - ref[i]));
            scale = Math.max(scale, Math.abs(ref[i]));
        }
        assertTrue(err <= 1e-6 * scale, c + ": max |ours - diffusers| = " + err + " (relative " + err / scale + ")");
    }
}
