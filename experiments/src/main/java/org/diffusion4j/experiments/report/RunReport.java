package org.diffusion4j.experiments.report;

import org.diffusion4j.experiments.run.MetricsLog;
import org.diffusion4j.experiments.run.RunFolder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Writes a run folder's report.html from what the folder holds: metrics, sample grids, trajectory, sounds, config. */
public final class RunReport {
    private static final Pattern GRID = Pattern.compile("step-(\\d+)\\.png");

    private RunReport() { }

    public static Path write(RunFolder folder, String title, List<ReportPage.Figure> extra) {
        try {
            ReportPage page = new ReportPage(title);
            page.text("Run folder: " + folder.root().toAbsolutePath());
            page.lossCurve(MetricsLog.read(folder.metrics()));
            var evaluations = MetricsLog.records(folder.metrics(), "eval");
            if (!evaluations.isEmpty()) page.table("Evaluations (./d4j eval --run)", evaluations);
            if (!extra.isEmpty()) page.figures("Data and samples", extra);
            List<ReportPage.Figure> grids = new ArrayList<>();
            for (Path p : sampleGrids(folder)) {
                Matcher m = GRID.matcher(p.getFileName().toString());
                m.matches();
                grids.add(new ReportPage.Figure("step " + m.group(1), Files.readAllBytes(p)));
            }
            if (!grids.isEmpty()) page.figures("Samples over training (same noises)", grids);
            List<ReportPage.Figure> pairs = org.diffusion4j.experiments.texttoimage.PromptPairs.figures(folder.samples());
            if (!pairs.isEmpty()) page.figures("Prompt / sample pairs (the last grid's samples with the training captions they were drawn for)", pairs);
            Path trajectory = folder.samples().resolve("trajectory.png");
            if (Files.exists(trajectory)) {
                page.figures("Denoising trajectory (noise to data, left to right)",
                        List.of(new ReportPage.Figure("trajectory", Files.readAllBytes(trajectory))));
            }
            for (var section : AudioSamples.sections(folder)) page.sounds(section.heading(), section.sounds());
            page.config(Files.readString(folder.config()));
            page.write(folder.report());
            return folder.report();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report of " + folder.root() + ": " + e.getMessage(), e);
        }
    }

    /** samples/step-N.png by ascending N. */
    static List<Path> sampleGrids(RunFolder folder) throws IOException {
        if (!Files.isDirectory(folder.samples())) return List.of();
        try (var s = Files.list(folder.samples())) {
            return s.filter(p -> GRID.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(p -> {
                        Matcher m = GRID.matcher(p.getFileName().toString());
                        m.matches();
                        return Long.parseLong(m.group(1));
                    })).toList();
        }
    }
}
