package org.diffusion4j.experiments.cli;

import org.diffusion4j.diffusion.sampler.Samplers;
import org.diffusion4j.experiments.io.Npy;
import org.diffusion4j.experiments.train.RunSamplers;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class SampleAndNllCommandTest {
    @TempDir static Path dir;
    static Path run;

    @BeforeAll
    static void trainATinyRun() throws IOException {
        Path runs = dir.resolve("runs");
        CliRun r = CliRun.of("train", "--config", TrainCommandTest.tinyConfig(dir).toString(), "--runs", runs.toString(),
                "--set", "sampling.every=0");
        assertEquals(0, r.exitCode(), r.toString());
        run = runs.resolve("tiny-cli");
    }

    @Test
    void sampleHelpListsEverySamplerWithItsOptionsAndDefaults() {
        CliRun r = CliRun.of("sample", "--help");
        assertEquals(0, r.exitCode(), r.toString());
        for (String name : new String[]{"ddpm", "ddim", "langevin", "euler-maruyama", "pc", "ode-euler", "ode-heun", "ode-rk4",
                "ode-rk45", "dpmpp-2m", "dpmpp-2m-sde", "dpmpp-3m", "euler", "euler-ancestral", "edm-heun", "unipc"}) {
            assertTrue(r.out().contains("\n  " + name + ": "), name + " missing from\n" + r.out());
        }
        for (Samplers.Info info : Samplers.describe()) {
            for (Samplers.Option o : info.options()) {
                assertTrue(Pattern.compile(Pattern.quote(o.name()) + " +default " + Pattern.quote(o.defaultValue())).matcher(r.out()).find(),
                        info.name() + " option " + o.name());
            }
        }
        assertTrue(r.out().contains("--rtol") && r.out().contains("--init-npy") && r.out().contains("--guidance"));
    }

    @Test
    void sampleFromARunWritesNpyAndPictureAndSamplesDoNotDependOnN() throws IOException {
        Path npy9 = dir.resolve("s9.npy"), npy3 = dir.resolve("s3.npy"), png = dir.resolve("s.png");
        CliRun r = CliRun.of("sample", "--run", run.toString(), "--sampler", "ddim", "--steps", "5", "--n", "9", "--seed", "1",
                "--out", png.toString(), "--npy", npy9.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("NFE 5") && r.out().contains("EMA weights"), r.out());
        assertTrue(Files.size(png) > 100);
        Npy.Array nine = Npy.read(npy9);
        assertArrayEquals(new int[]{9, 2}, nine.shape());
        for (double v : nine.data()) assertTrue(Double.isFinite(v));
        assertEquals(0, CliRun.of("sample", "--run", run.toString(), "--sampler", "ddim", "--steps", "5", "--n", "3", "--seed", "1",
                "--npy", npy3.toString()).exitCode());
        assertArrayEquals(Arrays.copyOf(nine.data(), 6), Npy.read(npy3).data(), "sample i uses stream i whatever --n is");
    }

    @Test
    void ddpmWithoutStepsRunsTheRunsWholeChain() {
        CliRun r = CliRun.of("sample", "--run", run.toString(), "--sampler", "ddpm", "--n", "2", "--npy", dir.resolve("d.npy").toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("NFE 40"), "the tiny run's chain has T = 40: " + r.out());
    }

    @Test
    void initNpyIsTheStartingNoise(@TempDir Path tmp) throws IOException {
        // The noise that --seed 4 draws, written out and given back through --init-npy, gives the same samples.
        Tensor z = Tensor.randn(Backends.cpu(), DType.F32, 4, 0, 5, 2);
        Path init = tmp.resolve("z.npy");
        Npy.writeFloat64(init, z.toDoubleArray(), 5, 2);
        Path a = tmp.resolve("a.npy"), b = tmp.resolve("b.npy"), c = tmp.resolve("c.npy");
        String[] common = {"sample", "--run", run.toString(), "--sampler", "ode-heun", "--steps", "3", "--n", "5"};
        assertEquals(0, CliRun.of(concat(common, "--seed", "4", "--npy", a.toString())).exitCode());
        assertEquals(0, CliRun.of(concat(common, "--seed", "99", "--init-npy", init.toString(), "--npy", b.toString())).exitCode());
        assertEquals(0, CliRun.of(concat(common, "--seed", "99", "--npy", c.toString())).exitCode());
        assertArrayEquals(Npy.read(a).data(), Npy.read(b).data());
        assertFalse(Arrays.equals(Npy.read(a).data(), Npy.read(c).data()));
        CliRun wrong = CliRun.of("sample", "--run", run.toString(), "--sampler", "ode-heun", "--steps", "3", "--n", "4",
                "--init-npy", init.toString(), "--npy", c.toString());
        assertEquals(2, wrong.exitCode());
        assertTrue(wrong.err().contains("[5, 2]") && wrong.err().contains("[4, 2]"), wrong.err());
    }

    @Test
    void analyticGaussianSamplesHaveTheModelsMeanAndCovariance() throws IOException {
        Path out = dir.resolve("g.npy");
        int n = 2000;
        CliRun r = CliRun.of("sample", "--analytic", "gaussian", "--sampler", "dpmpp-2m", "--steps", "20", "--n", Integer.toString(n),
                "--seed", "3", "--npy", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("dpmpp-2m") && r.out().contains("NFE 20"), r.out());
        double[] d = Npy.read(out).data();
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) { mx += d[2 * i]; my += d[2 * i + 1]; }
        mx /= n;
        my /= n;
        double vx = 0, vy = 0, cxy = 0;
        for (int i = 0; i < n; i++) {
            vx += (d[2 * i] - mx) * (d[2 * i] - mx);
            vy += (d[2 * i + 1] - my) * (d[2 * i + 1] - my);
            cxy += (d[2 * i] - mx) * (d[2 * i + 1] - my);
        }
        vx /= n - 1;
        vy /= n - 1;
        cxy /= n - 1;
        // The preset: mean (1, -0.5), covariance [[1, 0.6], [0.6, 0.5]]. Five standard errors of the sample size.
        assertEquals(1.0, mx, 5 * Math.sqrt(1.0 / n));
        assertEquals(-0.5, my, 5 * Math.sqrt(0.5 / n));
        assertEquals(1.0, vx, 5 * Math.sqrt(2.0 / n) * 1.0);
        assertEquals(0.5, vy, 5 * Math.sqrt(2.0 / n) * 0.5);
        assertEquals(0.6, cxy, 5 * Math.sqrt((1.0 * 0.5 + 0.36) / n));
    }

    /** What the registry draws on the CPU in F64 from seed 3: the command line must write exactly this. */
    private static double[] registry(String sampler, java.util.Map<String, String> options, int n) {
        return Samplers.byName(sampler, options).sample(org.diffusion4j.diffusion.model.AnalyticModels.eightGaussians(),
                org.diffusion4j.diffusion.sampler.SampleRequest.of(3, n, 2)).samples().toDoubleArray();
    }

    @Test
    void timestepsAndSigmasReachTheSamplerFromTheCommandLine(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a.npy"), b = tmp.resolve("b.npy"), c = tmp.resolve("c.npy"), file = tmp.resolve("sigmas.txt");
        CliRun r = CliRun.of("--device", "cpu", "sample", "--analytic", "8gaussians", "--sampler", "dpmpp-2m", "-o", "process=chain",
                "--timesteps", "999,749,499,249,0", "--n", "5", "--seed", "3", "--npy", a.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("NFE 5"), r.out());
        assertArrayEquals(registry("dpm++2m", java.util.Map.of("process", "chain", "timesteps", "999,749,499,249,0"), 5),
                Npy.read(a).data());
        Files.writeString(file, "80\n10\n1\n0.1\n0\n");
        r = CliRun.of("--device", "cpu", "sample", "--analytic", "8gaussians", "--sampler", "euler", "--sigmas", file.toString(),
                "--n", "5", "--seed", "3", "--npy", b.toString());
        assertEquals(0, r.exitCode(), r.toString());
        r = CliRun.of("--device", "cpu", "sample", "--analytic", "8gaussians", "--sampler", "euler", "--sigmas", "80,10,1,0.1,0",
                "--n", "5", "--seed", "3", "--npy", c.toString());
        assertEquals(0, r.exitCode(), r.toString());
        double[] expected = registry("euler", java.util.Map.of("sigmas", "80,10,1,0.1,0"), 5);
        assertArrayEquals(expected, Npy.read(b).data());
        assertArrayEquals(expected, Npy.read(c).data());
        CliRun both = CliRun.of("sample", "--analytic", "8gaussians", "--sampler", "euler", "--sigmas", "1,0", "--steps", "3",
                "--n", "2", "--npy", c.toString());
        assertEquals(2, both.exitCode(), both.toString());
        CliRun noZero = CliRun.of("sample", "--analytic", "8gaussians", "--sampler", "euler", "--sigmas", "2,1", "--n", "2",
                "--npy", c.toString());
        assertEquals(2, noZero.exitCode());
        assertTrue(noZero.err().contains("must be 0"), noZero.err());
    }

    @Test
    void everySamplerNameRunsOnAnAnalyticModel(@TempDir Path tmp) {
        for (Samplers.Info info : Samplers.describe()) {
            String name = Samplers.cliName(info.name());
            String[] args = {"sample", "--analytic", "8gaussians", "--sampler", name, "--n", "3", "--npy",
                    tmp.resolve(name + ".npy").toString()};
            if (has(info, "steps")) args = concat(args, "--steps", "4");
            if (has(info, "rtol")) args = concat(args, "--rtol", "1e-2", "--atol", "1e-2");
            if (name.equals("langevin")) args = concat(args, "-o", "steps-per-level=2", "-o", "levels=3");
            CliRun r = CliRun.of(args);
            assertEquals(0, r.exitCode(), name + ": " + r);
            assertTrue(Files.exists(tmp.resolve(name + ".npy")), name);
        }
    }

    @Test
    void badSamplerOrModelOrOptionIsAUsageError() {
        CliRun noModel = CliRun.of("sample", "--analytic", "moons", "--sampler", "ddim", "--n", "2", "--npy", "x.npy");
        assertEquals(2, noModel.exitCode());
        assertTrue(noModel.err().contains("moons") && noModel.err().contains("8gaussians"), noModel.err());
        CliRun noSampler = CliRun.of("sample", "--analytic", "gaussian", "--sampler", "magic", "--n", "2", "--npy", "x.npy");
        assertEquals(2, noSampler.exitCode());
        assertTrue(noSampler.err().contains("magic"), noSampler.err());
        CliRun noOption = CliRun.of("sample", "--analytic", "gaussian", "--sampler", "ddim", "-o", "nope=1", "--n", "2", "--npy", "x.npy");
        assertEquals(2, noOption.exitCode());
        assertTrue(noOption.err().contains("nope"), noOption.err());
        assertEquals(2, CliRun.of("sample", "--analytic", "gaussian", "--run", "x", "--sampler", "ddim", "--n", "2", "--npy", "x.npy").exitCode());
        assertEquals(2, CliRun.of("sample", "--analytic", "gaussian", "--sampler", "ddim", "--n", "2").exitCode(), "no output named");
        CliRun guidance = CliRun.of("sample", "--run", run.toString(), "--sampler", "ddim", "--n", "2", "--guidance", "3", "--npy",
                dir.resolve("x.npy").toString());
        assertEquals(2, guidance.exitCode());
        assertTrue(guidance.err().contains("class-conditional"), guidance.err());
    }

    @Test
    void nllOfTheGaussianMeanIsTheClosedForm() throws IOException {
        // At x = mean: -log N(m; m, S) = log(2 pi) + log(det S) / 2, det S = 1 * 0.5 - 0.6^2 = 0.14; bits/dim = that / (2 ln 2).
        Path points = dir.resolve("mean.npy");
        Npy.writeFloat64(points, new double[]{1.0, -0.5, 1.0, -0.5, 1.0, -0.5}, 3, 2);
        CliRun r = CliRun.of("nll", "--analytic", "gaussian", "--npy", points.toString());
        assertEquals(0, r.exitCode(), r.toString());
        double expected = (Math.log(2 * Math.PI) + 0.5 * Math.log(0.14)) / (2 * Math.log(2));
        Matcher m = Pattern.compile("([-0-9.]+) bits/dim \\(standard error ([-0-9.]+)\\)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertEquals(expected, Double.parseDouble(m.group(1)), 1e-6);
        assertEquals(0.0, Double.parseDouble(m.group(2)), 1e-12);
        assertTrue(r.out().contains(String.format(Locale.ROOT, "over %d points of dimension %d", 3, 2)), r.out());
    }

    @Test
    void nllRejectsPointsOfTheWrongDimension() throws IOException {
        Path points = dir.resolve("three.npy");
        Npy.writeFloat64(points, new double[]{1, 2, 3}, 1, 3);
        CliRun r = CliRun.of("nll", "--analytic", "8gaussians", "--npy", points.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("[1, 3]") && r.err().contains("[N, 2]"), r.err());
    }

    @Test
    void nllOfATrainedRunThroughTheOdeIsFiniteAndReproducible() throws IOException {
        // A nine-step model is far from the data, so only the plumbing is checked here; the ODE likelihood itself is
        // tested against closed forms in the diffusion module, and the SDE choice in RunSamplersTest.
        CliRun data = CliRun.of("nll", "--run", run.toString(), "--n", "16", "--seed", "2");
        assertEquals(0, data.exitCode(), data.toString());
        assertTrue(Double.isFinite(bits(data.out())) && data.out().contains("NFE"), data.out());
        assertEquals(data.out(), CliRun.of("nll", "--run", run.toString(), "--n", "16", "--seed", "2").out());
        Path wrong = dir.resolve("wrong.npy");
        Npy.writeFloat64(wrong, new double[]{1, 2, 3}, 1, 3);
        CliRun bad = CliRun.of("nll", "--run", run.toString(), "--npy", wrong.toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("[N, 2]"), bad.err());
        assertEquals(2, CliRun.of("nll", "--analytic", "gaussian").exitCode(), "--analytic needs --npy");
    }

    private static double bits(String out) {
        Matcher m = Pattern.compile("([-0-9.]+) bits/dim").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }

    private static boolean has(Samplers.Info info, String option) {
        return info.options().stream().anyMatch(o -> o.name().equals(option));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
