package org.diffusion4j.experiments.cli;

import org.diffusion4j.diffusion.sampler.SampleRequest;
import org.diffusion4j.diffusion.sampler.SampleResult;
import org.diffusion4j.diffusion.sampler.Sampler;
import org.diffusion4j.experiments.config.ConfigException;
import org.diffusion4j.experiments.config.ConfigLoader;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.data.ToyDatasets;
import org.diffusion4j.experiments.metrics.SampleDistances;
import org.diffusion4j.experiments.report.Html;
import org.diffusion4j.experiments.report.ReportPage;
import org.diffusion4j.experiments.report.RunReport;
import org.diffusion4j.experiments.report.ScatterPlot;
import org.diffusion4j.experiments.run.Environment;
import org.diffusion4j.experiments.run.RunFolder;
import org.diffusion4j.experiments.train.RunSamplers;
import org.diffusion4j.experiments.train.RunSampling;
import org.diffusion4j.experiments.train.SamplePictures;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.BackendProvider;
import org.diffusion4j.tensor.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code d4j demo}: the whole pipeline in about a minute on a laptop's CPU. Trains the small MLP of
 * configs/demo-swiss-roll.yaml on the swiss roll, samples it with DDPM, DDIM and the probability-flow ODE
 * (Heun) from the same noises, and writes runs/demo/report.html with the data and the three sample sets side
 * by side (with their NFE and sliced Wasserstein distance to fresh data).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Trains a small MLP on the swiss roll on the CPU (about a minute on two cores), samples it with DDPM, "
                + "DDIM and the probability-flow ODE, and writes runs/demo/report.html.",
                "--fashion instead trains UNet-S on Fashion-MNIST (configs/ddpm-fashion-mnist.yaml): meant for a GPU."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the demo ran", "1:it failed (or --fashion found no GPU)", "2:bad usage"})
public final class DemoCommand implements Callable<Integer> {
    static final String SWISS_ROLL_CONFIG = "demo-swiss-roll.yaml", FASHION_CONFIG = "ddpm-fashion-mnist.yaml";
    private static final int POINTS = 1000;

    @ParentCommand private Main d4j;
    @Spec private CommandSpec spec;

    @Option(names = "--fashion", description = "train UNet-S on Fashion-MNIST instead (for a GPU)") boolean fashion;
    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs", description = "where the demo's run folder goes (default: ${DEFAULT-VALUE})") Path runs;
    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a value of the demo's config (e.g. training.steps=200)")
    List<String> overrides = new ArrayList<>();

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (fashion) return fashion(out, err);
        TrainConfig config;
        try {
            config = ConfigLoader.parse(resource(SWISS_ROLL_CONFIG), overrides);
        } catch (ConfigException e) {
            err.println("d4j demo: " + e.getMessage());
            return 2;
        }
        MemoryBudget.ofThisJvm().checkTraining(config, TrainCommand.sampleElements(config));
        Backend backend = RunDevice.open(d4j, config);
        try (RunFolder folder = RunFolder.prepareReplacing(runs, config, err::println)) {
            folder.writeEnvironment(Environment.current(backend.device().toString(), backend.precision().label(), config.seed(), VersionProvider.projectVersion()));
            out.printf("demo: training an MLP (%d x %d) on the swiss roll for %d steps on %s; run folder %s%n", config.model().depth(),
                    config.model().hidden(), config.training().steps(), backend.device(), folder.root());
            out.flush();
            long t0 = System.nanoTime();
            TrainCommand.train(config, backend, folder, false, err);
            out.printf(Locale.ROOT, "demo: trained in %.1f s; sampling %d points three ways%n", (System.nanoTime() - t0) / 1e9, POINTS);
            out.flush();

            TrainedRun run = TrainedRun.open(folder.root(), null, backend, err::println);
            double[][] data = ToyDatasets.sample(config.data().dataset(), POINTS, config.seed() + 1_000_003L);
            List<ReportPage.Figure> figures = new ArrayList<>();
            figures.add(figure("data (" + config.data().dataset() + ", " + POINTS + " points)", data));
            String[][] samplers = {{"ddpm", Integer.toString(config.diffusion().timesteps())}, {"ddim", "50"}, {"ode-heun", "50"}};
            for (String[] s : samplers) {
                Sampler sampler = RunSamplers.forRun(run.config(), run.setup(), s[0], Integer.parseInt(s[1]), Map.of());
                SampleRequest request = SampleRequest.of(backend, run.setup().dtype(), 7, POINTS, 2);
                SampleResult result = sampler.sample(run.objective().denoiser(run.network()), request);
                double[][] points = RunSampling.rows(result.samples());
                double sw = SampleDistances.slicedWasserstein(points, data, 64, 11);
                String caption = String.format(Locale.ROOT, "%s, %s steps: NFE %d, sliced W1 to data %.3f", s[0], s[1], result.nfe(), sw);
                out.println("demo: " + caption);
                figures.add(figure(caption, points));
            }
            Path report = RunReport.write(folder, "d4j demo: diffusion on the swiss roll", figures);
            out.println("demo: report " + report.toAbsolutePath());
            return 0;
        }
    }

    private static ReportPage.Figure figure(String caption, double[][] points) {
        return new ReportPage.Figure(caption, Html.png(ScatterPlot.render(points, SamplePictures.TOY_RANGE, 320)));
    }

    private int fashion(PrintWriter out, PrintWriter err) {
        boolean gpu = false;
        for (BackendProvider p : Backends.providers()) {
            for (BackendProvider.DeviceInfo info : p.devices()) gpu |= info.type().equalsIgnoreCase("GPU");
        }
        if (!gpu && d4j.deviceRequest().isAutomatic()) {
            err.println("d4j demo --fashion: no GPU was found (see 'd4j info'). Training UNet-S on Fashion-MNIST is meant for a "
                    + "GPU; on this machine run 'd4j demo' (the CPU demo), or force a device with --device.");
            return 1;
        }
        TrainConfig config = ConfigLoader.parse(resource(FASHION_CONFIG), overrides);
        MemoryBudget.ofThisJvm().checkTraining(config, TrainCommand.sampleElements(config));
        Backend backend = RunDevice.open(d4j, config);
        try (RunFolder folder = RunFolder.prepare(runs, config, false, err::println)) {
            folder.writeEnvironment(Environment.current(backend.device().toString(), backend.precision().label(), config.seed(), VersionProvider.projectVersion()));
            out.println("demo --fashion: training UNet-S on Fashion-MNIST on " + backend.device() + "; run folder " + folder.root());
            TrainCommand.train(config, backend, folder, false, err);
            out.println("demo --fashion: report " + RunReport.write(folder, "d4j demo: DDPM on Fashion-MNIST", List.of()));
            return 0;
        }
    }

    static String resource(String name) {
        try (InputStream in = DemoCommand.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("the demo config " + name + " is missing from the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
