package org.diffusion4j.experiments.scenes;

import java.util.List;
import java.util.function.Predicate;

/**
 * The attribute combinations kept out of the training split entirely, to measure compositional generalisation:
 * every attribute below is seen in training, only these pairings of them are not. A scene is held out when any
 * rule matches it.
 *
 * <ol>
 *   <li>a bag (class 8) at the BOTTOM;</li>
 *   <li>a sneaker (class 7) that is LIGHT;</li>
 *   <li>a pair of trousers (class 1) that is SMALL;</li>
 *   <li>a dress (class 3) on the LEFT;</li>
 *   <li>a coat (class 4) and a sandal (class 5) in one scene.</li>
 * </ol>
 */
public final class HeldOutCombinations {
    /** One held-out combination: its description and the test on a scene. */
    public record Rule(String description, Predicate<SceneSpec> matches) { }

    public static final List<Rule> RULES = List.of(
            item("a bag at the bottom", it -> it.fashionClass() == 8 && it.pos() == Position.BOTTOM),
            item("a light sneaker", it -> it.fashionClass() == 7 && it.brightness() == Brightness.LIGHT),
            item("a small pair of trousers", it -> it.fashionClass() == 1 && it.size() == Size.SMALL),
            item("a dress on the left", it -> it.fashionClass() == 3 && it.pos() == Position.LEFT),
            new Rule("a coat together with a sandal", s -> s.count() == 2 && hasClass(s, 4) && hasClass(s, 5)));

    private HeldOutCombinations() { }

    /** True when the scene holds a combination that training never shows. */
    public static boolean isHeldOut(SceneSpec spec) {
        for (Rule r : RULES) if (r.matches().test(spec)) return true;
        return false;
    }

    private static Rule item(String description, Predicate<SceneItem> test) {
        return new Rule(description, s -> s.items().stream().anyMatch(test));
    }

    private static boolean hasClass(SceneSpec s, int c) { return s.items().stream().anyMatch(it -> it.fashionClass() == c); }
}
