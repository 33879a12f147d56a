package org.diffusion4j.experiments.scenes;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes a caption for a scene in varied English: one of several sentence templates, synonyms for classes,
 * sizes, brightnesses and positions, two adjective orders, plurals for two items of one class. Every template
 * is listed in {@link Template}; {@link CaptionParser} reads every one back to the scene it describes.
 */
public final class CaptionWriter {
    /** The sentence shapes, with an example of each. */
    public enum Template {
        /** "a small dark sneaker on the left" */
        ITEM_THEN_PLACE(1),
        /** "On the left, a small dark sneaker" */
        PLACE_THEN_ITEM(1),
        /** "a sneaker on the left, small and dark" */
        ATTRIBUTES_AFTER(1),
        /** "there is a small dark sneaker on the left" */
        THERE_IS(1),
        /** "a sneaker that is small and dark, in the centre" */
        THAT_IS(1),
        /** "a small dark sneaker placed on the left" */
        PLACED(1),
        /** "a small dark bag on the left and a large light coat on the right" */
        BOTH_PLACED(2),
        /** "two items: a small dark bag at the top and a large light coat at the bottom" */
        TWO_ITEMS(2),
        /** "a small dark bag on the left, with a large light coat on the right" */
        WITH(2),
        /** "a small dark bag at the top and a large light coat below it" */
        RELATIVE_TO_FIRST(2),
        /** "a small dark bag above a large light coat" */
        RELATION(2),
        /** "On the left, a small dark bag; on the right, a large light coat" */
        PLACES_FIRST(2),
        /** "two bags: a small dark one on the left and a large light one on the right" (one class) */
        PLURAL_ONES(2),
        /** "two small dark bags, one on the left and one on the right" (identical items) */
        PLURAL_ONE_EACH(2),
        /** "two small dark bags side by side" / "two small dark bags, one above the other" (identical items) */
        PLURAL_LAYOUT(2);

        private final int items;

        Template(int items) { this.items = items; }

        /** Number of items the template describes. */
        public int items() { return items; }
    }

    /** A caption and the template it was written from. */
    public record Caption(String text, Template template) { }

    private CaptionWriter() { }

    /** The templates that can describe a scene (plural ones need one class, the last two identical items). */
    public static List<Template> templatesFor(SceneSpec spec) {
        List<Template> out = new ArrayList<>();
        for (Template t : Template.values()) if (fits(t, spec)) out.add(t);
        return out;
    }

    static boolean fits(Template t, SceneSpec spec) {
        if (t.items() != spec.count()) return false;
        if (spec.count() == 1) return true;
        SceneItem a = spec.item(0), b = spec.item(1);
        boolean sameClass = a.fashionClass() == b.fashionClass();
        boolean identical = sameClass && a.size() == b.size() && a.brightness() == b.brightness();
        return switch (t) {
            case PLURAL_ONES -> sameClass;
            case PLURAL_ONE_EACH, PLURAL_LAYOUT -> identical;
            default -> true;
        };
    }

    /** A caption for the scene, its template and words drawn from r. */
    static Caption write(SceneSpec spec, SceneRandom r) {
        List<Template> options = templatesFor(spec);
        List<Template> plural = options.stream().filter(t -> t.name().startsWith("PLURAL")).toList();
        // Scenes of one class say so in the plural half the time; the other templates share the rest.
        Template t = !plural.isEmpty() && r.coin() ? r.pick(plural)
                : r.pick(options.stream().filter(o -> !o.name().startsWith("PLURAL")).toList());
        return new Caption(capitalise(write(t, spec, r)), t);
    }

    /** A caption of the given template (which must fit the scene). */
    static String write(Template t, SceneSpec spec, SceneRandom r) {
        if (!fits(t, spec)) throw new IllegalArgumentException("template " + t + " cannot describe " + spec);
        SceneItem first = spec.item(0), second = spec.count() == 2 ? spec.item(1) : null;
        if (second != null && r.coin()) { SceneItem s = first; first = second; second = s; }
        return switch (t) {
            case ITEM_THEN_PLACE -> noun(first, r) + " " + place(first, r);
            case PLACE_THEN_ITEM -> place(first, r) + ", " + noun(first, r);
            case ATTRIBUTES_AFTER -> withArticle(name(first, r)) + " " + place(first, r) + ", " + attributesAfter(first, r);
            case THERE_IS -> "there is " + noun(first, r) + " " + place(first, r);
            case THAT_IS -> withArticle(name(first, r)) + " that is " + attributesAfter(first, r) + ", " + place(first, r);
            case PLACED -> noun(first, r) + " placed " + place(first, r);
            case BOTH_PLACED -> noun(first, r) + " " + place(first, r) + " and " + noun(second, r) + " " + place(second, r);
            case TWO_ITEMS -> "two items: " + noun(first, r) + " " + place(first, r) + " and " + noun(second, r) + " " + place(second, r);
            case WITH -> noun(first, r) + " " + place(first, r) + ", with " + noun(second, r) + " " + place(second, r);
            case RELATIVE_TO_FIRST -> noun(first, r) + " " + place(first, r) + " and " + noun(second, r) + " "
                    + r.pick(SceneWords.RELATIVE_TO_IT.get(second.pos()));
            case RELATION -> noun(first, r) + " " + r.pick(SceneWords.RELATION.get(first.pos())) + " " + noun(second, r);
            case PLACES_FIRST -> place(first, r) + ", " + noun(first, r) + "; " + place(second, r) + ", " + noun(second, r);
            case PLURAL_ONES -> "two " + r.pick(SceneWords.PLURAL.get(first.fashionClass())) + ": "
                    + withArticle(adjectives(first, r) + " one") + " " + place(first, r) + " and "
                    + withArticle(adjectives(second, r) + " one") + " " + place(second, r);
            case PLURAL_ONE_EACH -> "two " + adjectives(first, r) + " " + r.pick(SceneWords.PLURAL.get(first.fashionClass()))
                    + ", one " + place(first, r) + " and one " + place(second, r);
            case PLURAL_LAYOUT -> "two " + adjectives(first, r) + " " + r.pick(SceneWords.PLURAL.get(first.fashionClass()))
                    + (first.pos() == Position.LEFT || first.pos() == Position.RIGHT ? " " + SceneWords.SIDE_BY_SIDE
                    : ", " + SceneWords.STACKED);
        };
    }

    /** "a small dark sneaker" (size before brightness four times in five). */
    private static String noun(SceneItem it, SceneRandom r) { return withArticle(adjectives(it, r) + " " + name(it, r)); }

    private static String adjectives(SceneItem it, SceneRandom r) {
        String size = r.pick(SceneWords.SIZE.get(it.size())), bright = r.pick(SceneWords.BRIGHTNESS.get(it.brightness()));
        return r.uniform() < 0.8 ? size + " " + bright : bright + " " + size;
    }

    /** "small and dark" or "dark and small". */
    private static String attributesAfter(SceneItem it, SceneRandom r) {
        String size = r.pick(SceneWords.SIZE.get(it.size())), bright = r.pick(SceneWords.BRIGHTNESS.get(it.brightness()));
        return r.coin() ? size + " and " + bright : bright + " and " + size;
    }

    private static String name(SceneItem it, SceneRandom r) { return r.pick(SceneWords.SINGULAR.get(it.fashionClass())); }

    private static String place(SceneItem it, SceneRandom r) { return r.pick(SceneWords.PLACE.get(it.pos())); }

    private static String withArticle(String phrase) { return SceneWords.article(phrase) + " " + phrase; }

    private static String capitalise(String s) { return Character.toUpperCase(s.charAt(0)) + s.substring(1); }
}
