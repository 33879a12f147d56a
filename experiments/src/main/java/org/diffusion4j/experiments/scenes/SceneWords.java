package org.diffusion4j.experiments.scenes;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The words of scene captions, shared by {@link CaptionWriter} (which picks among synonyms) and
 * {@link CaptionParser} (which reads any of them). Index k of the class tables is Fashion-MNIST class k.
 */
final class SceneWords {
    static final List<List<String>> SINGULAR = List.of(
            List.of("t-shirt", "tee"),
            List.of("pair of trousers", "pair of pants"),
            List.of("pullover", "sweater", "jumper"),
            List.of("dress"),
            List.of("coat", "jacket"),
            List.of("sandal"),
            List.of("shirt"),
            List.of("sneaker", "shoe", "trainer"),
            List.of("bag", "handbag", "purse"),
            List.of("ankle boot", "boot"));
    static final List<List<String>> PLURAL = List.of(
            List.of("t-shirts", "tees"),
            List.of("pairs of trousers", "pairs of pants"),
            List.of("pullovers", "sweaters", "jumpers"),
            List.of("dresses"),
            List.of("coats", "jackets"),
            List.of("sandals"),
            List.of("shirts"),
            List.of("sneakers", "shoes", "trainers"),
            List.of("bags", "handbags", "purses"),
            List.of("ankle boots", "boots"));

    static final Map<Size, List<String>> SIZE = new EnumMap<>(Map.of(
            Size.SMALL, List.of("small", "little", "tiny"),
            Size.LARGE, List.of("large", "big")));
    static final Map<Brightness, List<String>> BRIGHTNESS = new EnumMap<>(Map.of(
            Brightness.DARK, List.of("dark", "dim"),
            Brightness.LIGHT, List.of("light", "bright", "pale")));

    /** Where an item is on the canvas. */
    static final Map<Position, List<String>> PLACE = new EnumMap<>(Map.of(
            Position.LEFT, List.of("on the left", "at the left", "to the left", "on the left side", "in the left half"),
            Position.RIGHT, List.of("on the right", "at the right", "to the right", "on the right side", "in the right half"),
            Position.TOP, List.of("at the top", "on top", "in the upper half", "near the top"),
            Position.BOTTOM, List.of("at the bottom", "in the lower half", "near the bottom"),
            Position.CENTRE, List.of("in the centre", "in the center", "in the middle")));

    /** "X [phrase] Y": X at the key position, Y at its opposite. */
    static final Map<Position, List<String>> RELATION = new EnumMap<>(Map.of(
            Position.TOP, List.of("above", "over"),
            Position.BOTTOM, List.of("below", "under", "beneath"),
            Position.LEFT, List.of("to the left of", "left of"),
            Position.RIGHT, List.of("to the right of", "right of")));

    /** "Y [phrase]" after X was placed: Y at the key position, X at its opposite. */
    static final Map<Position, List<String>> RELATIVE_TO_IT = new EnumMap<>(Map.of(
            Position.TOP, List.of("above it", "over it"),
            Position.BOTTOM, List.of("below it", "under it"),
            Position.LEFT, List.of("to its left", "left of it"),
            Position.RIGHT, List.of("to its right", "right of it")));

    /** Two identical items: LEFT and RIGHT, or TOP and BOTTOM. */
    static final String SIDE_BY_SIDE = "side by side", STACKED = "one above the other";

    /** Words that carry no content in these captions. */
    static final List<String> FILLER = List.of("two items", "there", "is", "are", "with", "and", "that", "placed");

    private SceneWords() { }

    static String article(String nextWord) { return "aeiou".indexOf(nextWord.charAt(0)) >= 0 ? "an" : "a"; }
}
