package org.diffusion4j.experiments.figures;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Every figure of the course by name; scripts/figures draws them all into docs/course/figures/. */
public final class Figures {
    private Figures() { }

    private static final List<Figure> ALL = List.of(
            new ForwardProcessFigure(),
            new SnrCurvesFigure(),
            new ScoreFieldFigure(),
            new LangevinFigure(),
            new ProbabilityFlowVsSdeFigure(),
            new LossWeightingFigure(),
            new GuidanceFigure(),
            new ConvergenceFigure());

    public static List<Figure> all() { return ALL; }

    public static List<String> names() {
        List<String> n = new ArrayList<>();
        for (Figure f : ALL) n.add(f.name());
        return n;
    }

    public static Figure byName(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (Figure f : ALL) if (f.name().equals(key)) return f;
        throw new IllegalArgumentException("unknown figure '" + name + "': expected one of " + names());
    }
}
