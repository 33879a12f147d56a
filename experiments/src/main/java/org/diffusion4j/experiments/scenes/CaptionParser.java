package org.diffusion4j.experiments.scenes;

import org.diffusion4j.experiments.data.FashionMnist;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a caption back into the scene it describes, so that prompts typed by a user can be scored like the
 * generated ones. The caption is split into words ({@link WordTokenizer#words}), the words into phrases of
 * {@link SceneWords} by longest match, and the phrases are read left to right:
 *
 * <ul>
 *   <li>"a"/"an" starts an item; sizes, brightnesses and a class name fill the current item (after the name
 *       too: "a bag on the left, small and dark");</li>
 *   <li>a place ("on the left") goes to the current item if it has none yet, else to the next item ("On the
 *       left, a bag; on the right, a coat");</li>
 *   <li>"X above Y" places X at the top and Y at the bottom; "... and Y below it" places Y below the item
 *       before it;</li>
 *   <li>"two" opens a pair of one class ("two bags: a small one ... and a large one ...", "two small bags, one
 *       ... and one ...", "two small bags side by side"); its items take the class and the attributes it names.</li>
 * </ul>
 *
 * A word outside the vocabulary, an item missing its class, size, brightness or place, or a contradiction is an
 * error that names it.
 */
public final class CaptionParser {
    private enum Kind { ARTICLE, TWO, ONE, NOUN, PLURAL, SIZE, BRIGHTNESS, PLACE, RELATION, RELATIVE_TO_IT, LAYOUT, FILLER }

    /** A phrase of the vocabulary and what it means (value: a class index, a Size, a Brightness, a Position, or for LAYOUT Boolean horizontal). */
    private record Phrase(Kind kind, Object value, String text) { }

    private static final Map<String, Phrase> PHRASES = new HashMap<>();
    private static final int LONGEST;

    static {
        for (int c = 0; c < 10; c++) {
            for (String s : SceneWords.SINGULAR.get(c)) add(s, Kind.NOUN, c);
            for (String s : SceneWords.PLURAL.get(c)) add(s, Kind.PLURAL, c);
        }
        SceneWords.SIZE.forEach((k, v) -> v.forEach(s -> add(s, Kind.SIZE, k)));
        SceneWords.BRIGHTNESS.forEach((k, v) -> v.forEach(s -> add(s, Kind.BRIGHTNESS, k)));
        SceneWords.PLACE.forEach((k, v) -> v.forEach(s -> add(s, Kind.PLACE, k)));
        SceneWords.RELATION.forEach((k, v) -> v.forEach(s -> add(s, Kind.RELATION, k)));
        SceneWords.RELATIVE_TO_IT.forEach((k, v) -> v.forEach(s -> add(s, Kind.RELATIVE_TO_IT, k)));
        add(SceneWords.SIDE_BY_SIDE, Kind.LAYOUT, Boolean.TRUE);
        add(SceneWords.STACKED, Kind.LAYOUT, Boolean.FALSE);
        for (String s : SceneWords.FILLER) add(s, Kind.FILLER, null);
        add("a", Kind.ARTICLE, null);
        add("an", Kind.ARTICLE, null);
        add("two", Kind.TWO, null);
        add("one", Kind.ONE, null);
        LONGEST = PHRASES.keySet().stream().mapToInt(p -> p.split(" ").length).max().orElseThrow();
    }

    private static void add(String text, Kind kind, Object value) {
        if (PHRASES.put(text, new Phrase(kind, value, text)) != null) throw new IllegalStateException("phrase '" + text + "' twice in the scene vocabulary");
    }

    /** An item being read: every field null until the caption gives it. */
    private static final class Mention {
        Integer fashionClass;
        Size size;
        Brightness brightness;
        Position pos;
        boolean inPair;
    }

    private CaptionParser() { }

    /** The scene a caption describes. */
    public static SceneSpec parse(String caption) {
        return new Reader(caption).read();
    }

    /** The class of the first class name in a caption (what the class-conditional baseline is given). */
    public static int firstClass(String caption) {
        for (Phrase p : phrases(caption)) if (p.kind == Kind.NOUN || p.kind == Kind.PLURAL) return (Integer) p.value;
        throw new IllegalArgumentException("caption '" + caption + "' names no item class (known: "
                + String.join(", ", SceneWords.SINGULAR.stream().map(l -> l.get(0)).toList()) + ")");
    }

    private static List<Phrase> phrases(String caption) {
        List<String> words = WordTokenizer.words(caption);
        if (words.isEmpty()) throw new IllegalArgumentException("caption '" + caption + "' has no words");
        List<Phrase> out = new ArrayList<>();
        for (int i = 0; i < words.size(); ) {
            Phrase found = null;
            int length = 0;
            for (int n = Math.min(LONGEST, words.size() - i); n >= 1 && found == null; n--) {
                found = PHRASES.get(String.join(" ", words.subList(i, i + n)));
                length = n;
            }
            if (found == null) throw new IllegalArgumentException("caption '" + caption + "': the word '" + words.get(i)
                    + "' is not in the scene vocabulary");
            out.add(found);
            i += length;
        }
        return out;
    }

    /** One reading of one caption. */
    private static final class Reader {
        private final String caption;
        private final List<Mention> mentions = new ArrayList<>();
        private Mention current, pair;
        private Position pending;
        private Boolean pairLayout;

        Reader(String caption) { this.caption = caption; }

        SceneSpec read() {
            for (Phrase p : phrases(caption)) step(p);
            if (pending != null) fail("a place (" + pending + ") names no item after it");
            if (pairLayout != null) {
                if (mentions.stream().anyMatch(m -> m.inPair)) fail("'" + (pairLayout ? SceneWords.SIDE_BY_SIDE : SceneWords.STACKED)
                        + "' places the pair, which already has its own items");
                Position[] at = pairLayout ? new Position[]{Position.LEFT, Position.RIGHT} : new Position[]{Position.TOP, Position.BOTTOM};
                for (Position p : at) {
                    Mention m = new Mention();
                    m.inPair = true;
                    m.pos = p;
                    mentions.add(m);
                }
            }
            if (pair != null) {
                long members = mentions.stream().filter(m -> m.inPair).count();
                if (members != 2) fail("'two' needs two items, found " + members);
                for (Mention m : mentions) {
                    if (!m.inPair) continue;
                    if (m.fashionClass == null) m.fashionClass = pair.fashionClass;
                    if (m.size == null) m.size = pair.size;
                    if (m.brightness == null) m.brightness = pair.brightness;
                }
            }
            if (mentions.isEmpty()) fail("no item is described");
            if (mentions.size() > 2) fail(mentions.size() + " items are described, a scene holds 1 or 2");
            List<SceneItem> items = new ArrayList<>();
            for (Mention m : mentions) {
                String which = m.fashionClass == null ? "an item" : "the " + FashionMnist.CLASS_NAMES[m.fashionClass];
                if (m.fashionClass == null) fail("an item has no class name");
                if (m.size == null) fail(which + " has no size (small or large)");
                if (m.brightness == null) fail(which + " has no brightness (dark or light)");
                if (m.pos == null) fail(which + " has no place (left, right, top, bottom or centre)");
                items.add(new SceneItem(m.fashionClass, m.size, m.pos, m.brightness));
            }
            try {
                return new SceneSpec(items);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("caption '" + caption + "': " + e.getMessage(), e);
            }
        }

        private void step(Phrase p) {
            switch (p.kind) {
                case FILLER -> { }
                case ARTICLE -> start(false);
                case TWO -> {
                    if (pair != null) fail("'two' twice");
                    pair = new Mention();
                    current = null;
                }
                case ONE -> {
                    if (pair == null) fail("'one' without a pair ('two ...') before it");
                    if (current != null && !current.inPair && current.fashionClass == null) current.inPair = true;
                    else start(true);
                }
                case NOUN -> {
                    if (current == null || current.fashionClass != null) start(false);
                    current.fashionClass = (Integer) p.value;
                }
                case PLURAL -> {
                    if (pair == null || current != null || pair.fashionClass != null) fail("the plural '" + p.text
                            + "' must follow 'two' (as in 'two " + p.text + "')");
                    pair.fashionClass = (Integer) p.value;
                }
                case SIZE -> {
                    Mention m = target();
                    if (m.size != null) fail("two sizes for one item ('" + p.text + "')");
                    m.size = (Size) p.value;
                }
                case BRIGHTNESS -> {
                    Mention m = target();
                    if (m.brightness != null) fail("two brightnesses for one item ('" + p.text + "')");
                    m.brightness = (Brightness) p.value;
                }
                case PLACE -> {
                    if (current != null && current.pos == null) current.pos = (Position) p.value;
                    else if (pending != null) fail("two places in a row ('" + p.text + "')");
                    else pending = (Position) p.value;
                }
                case RELATION -> {
                    Position at = (Position) p.value;
                    if (current == null) fail("'" + p.text + "' needs an item before it");
                    place(current, at, p.text);
                    pending = at.opposite();
                }
                case RELATIVE_TO_IT -> {
                    Position at = (Position) p.value;
                    if (current == null || mentions.size() < 2) fail("'" + p.text + "' needs two items before it");
                    place(current, at, p.text);
                    place(mentions.get(mentions.size() - 2), at.opposite(), p.text);
                }
                case LAYOUT -> {
                    if (pair == null) fail("'" + p.text + "' needs a pair ('two ...') before it");
                    pairLayout = (Boolean) p.value;
                }
            }
        }

        /** Where sizes and brightnesses go: the current item, else the open pair, else a new item. */
        private Mention target() {
            if (current != null) return current;
            if (pair != null && pair.fashionClass == null) return pair;
            start(false);
            return current;
        }

        private void start(boolean inPair) {
            current = new Mention();
            current.inPair = inPair;
            current.pos = pending;
            pending = null;
            mentions.add(current);
        }

        private void place(Mention m, Position at, String phrase) {
            if (m.pos != null && m.pos != at) fail("'" + phrase + "' puts an item " + at + " that is already " + m.pos);
            m.pos = at;
        }

        private void fail(String why) { throw new IllegalArgumentException("caption '" + caption + "': " + why); }
    }
}
