package org.diffusion4j.experiments.figures;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code d4j figure NAME --out FILE}: draws one figure of the course as SVG; {@code d4j figure all --dir DIR} draws
 * every figure into DIR/NAME.svg; {@code d4j figure list} names them. CPU only: the figures come from the analytic
 * models with exact scores.
 */
@Command(name = "figure", mixinStandardHelpOptions = true, description = {
        "Draws a figure of the course (docs/course/) as SVG from the analytic models.",
        "NAME is a figure's name, 'all' (every figure into --dir) or 'list'."})
public final class FigureCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "figure name, 'all' or 'list'")
    String name;

    @Option(names = "--out", paramLabel = "FILE", description = "output SVG file (one figure); default NAME.svg")
    Path out;

    @Option(names = "--dir", paramLabel = "DIR", description = "output folder for 'all' (default docs/course/figures)")
    Path dir = Path.of("docs/course/figures");

    @Option(names = "--tiny", description = "tiny sizes (a smoke test: same drawing, few samples and steps)")
    boolean tiny;

    @Override public Integer call() throws Exception {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "list" -> {
                for (Figure f : Figures.all()) spec.commandLine().getOut().printf(Locale.ROOT, "%-16s %s%n", f.name(), f.description());
            }
            case "all" -> {
                for (Figure f : Figures.all()) draw(f, dir.resolve(f.name() + ".svg"));
            }
            default -> draw(Figures.byName(name), out != null ? out : Path.of(name + ".svg"));
        }
        return 0;
    }

    private void draw(Figure f, Path file) throws Exception {
        long t0 = System.nanoTime();
        f.draw(file, tiny);
        spec.commandLine().getOut().flush();
        spec.commandLine().getOut().printf(Locale.ROOT, "%s -> %s (%.1f s)%n", f.name(), file, (System.nanoTime() - t0) / 1e9);
    }
}
