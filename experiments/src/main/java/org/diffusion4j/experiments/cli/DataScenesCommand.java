package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.scenes.CaptionedScenes;
import org.diffusion4j.experiments.scenes.PromptFollowingScore;
import org.diffusion4j.experiments.scenes.SceneCanvas;
import org.diffusion4j.experiments.scenes.SceneGrid;
import org.diffusion4j.experiments.scenes.SceneSpec;
import org.diffusion4j.tensor.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code d4j data scenes}: a grid of captioned scenes (docs/text-to-image-data.md). */
@Command(name = "scenes", mixinStandardHelpOptions = true,
        description = {"Draws captioned Fashion-MNIST scenes (the text-to-image data, made from a seed) into a PNG grid "
                + "with their captions, and prints each scene's caption and content."})
public final class DataScenesCommand implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(names = "--n", defaultValue = "16", description = "Scenes to draw (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--from", defaultValue = "0", description = "Index of the first scene (default ${DEFAULT-VALUE}).")
    int from;

    @Option(names = "--out", paramLabel = "GRID.png", description = "PNG grid to write (give --out, --score or both).")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the scenes (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--split", defaultValue = "train", description = "train (Fashion-MNIST training items) or test (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--held-out", description = "Scenes of the held-out combinations only (test split).")
    boolean heldOut;

    @Option(names = "--columns", defaultValue = "4", description = "Scenes per row of the grid (default ${DEFAULT-VALUE}).")
    int columns;

    @Option(names = "--score", description = "Also score the drawn canvases with the prompt-following score, against their own "
            + "specs and against the next scene's spec (a floor and a chance level for generated samples).")
    boolean score;

    @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST folder (default: D4J_DATA or /usr/share/datasets/fashion-mnist).")
    Path data;

    @Override public Integer call() throws Exception {
        if (out == null && !score) throw new ParameterException(spec.commandLine(), "give --out GRID.png and/or --score");
        if (n <= 0) throw new ParameterException(spec.commandLine(), "--n must be positive, got " + n);
        if (from < 0) throw new ParameterException(spec.commandLine(), "--from must be >= 0, got " + from);
        if (columns <= 0) throw new ParameterException(spec.commandLine(), "--columns must be positive, got " + columns);
        CaptionedScenes.Split s;
        try {
            s = CaptionedScenes.Split.parse(split);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--split: " + e.getMessage());
        }
        if (heldOut && s == CaptionedScenes.Split.TRAIN) throw new ParameterException(spec.commandLine(),
                "--held-out needs --split test: the held-out combinations never appear in the training split");
        CaptionedScenes scenes = CaptionedScenes.load(data, s, heldOut ? CaptionedScenes.Combinations.HELD_OUT
                : CaptionedScenes.Combinations.SEEN, seed, from + n);
        List<CaptionedScenes.Scene> drawn = scenes.scenes(from, n);
        PrintWriter w = spec.commandLine().getOut();
        String which = scenes.combinations() == CaptionedScenes.Combinations.HELD_OUT ? "test, held-out combinations"
                : s.name().toLowerCase(java.util.Locale.ROOT);
        if (out != null) {
            SceneGrid.writePng(drawn.stream().map(CaptionedScenes.Scene::canvas).toList(),
                    drawn.stream().map(CaptionedScenes.Scene::caption).toList(), columns, out);
            for (CaptionedScenes.Scene sc : drawn) w.printf("%d\t%s\t%s%n", sc.index(), sc.caption(), sc.spec());
            w.printf("wrote %d scenes (%s, seed %d) to %s%n", n, which, seed, out.toAbsolutePath());
        }
        if (score) {
            PromptFollowingScore scorer = PromptFollowingScore.committed(Backends.cpu());
            float[] canvases = new float[n * SceneCanvas.PIXELS];
            List<SceneSpec> specs = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                System.arraycopy(drawn.get(k).canvas(), 0, canvases, k * SceneCanvas.PIXELS, SceneCanvas.PIXELS);
                specs.add(drawn.get(k).spec());
            }
            List<SceneSpec> next = new ArrayList<>(specs.subList(1, n));
            next.add(specs.get(0));
            w.printf("%d scenes (%s, seed %d)%n", n, which, seed);
            w.println("prompt-following score, drawn canvases against their specs:   " + scorer.score(canvases, specs).all());
            w.println("prompt-following score, drawn canvases against the next spec: " + scorer.score(canvases, next).all());
        }
        w.flush();
        return 0;
    }
}
