package org.diffusion4j.experiments.scenes;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class CaptionParserTest {
    /** Every scene there is: 200 one-item scenes and 3,200 pairs. */
    static List<SceneSpec> allSpecs() {
        List<SceneItem> items = new ArrayList<>();
        for (int c = 0; c < 10; c++) for (Size z : Size.values()) for (Brightness b : Brightness.values()) {
            items.add(new SceneItem(c, z, Position.CENTRE, b));
        }
        List<SceneSpec> out = new ArrayList<>();
        for (SceneItem a : items) for (Position p : Position.values()) out.add(SceneSpec.of(at(a, p)));
        for (SceneItem a : items) for (SceneItem b : items) {
            out.add(SceneSpec.of(at(a, Position.LEFT), at(b, Position.RIGHT)));
            out.add(SceneSpec.of(at(a, Position.TOP), at(b, Position.BOTTOM)));
        }
        return out;
    }

    private static SceneItem at(SceneItem it, Position p) { return new SceneItem(it.fashionClass(), it.size(), p, it.brightness()); }

    @Test void everyTemplateOfEverySceneParsesBackToIt() {
        Set<CaptionWriter.Template> used = EnumSet.noneOf(CaptionWriter.Template.class);
        List<SceneSpec> specs = allSpecs();
        assertEquals(3400, specs.size());
        int parsed = 0;
        for (int s = 0; s < specs.size(); s++) {
            SceneSpec spec = specs.get(s);
            for (CaptionWriter.Template t : CaptionWriter.templatesFor(spec)) {
                String caption = CaptionWriter.write(t, spec, new SceneRandom(42, s * 31L + t.ordinal()));
                assertEquals(spec, CaptionParser.parse(caption), t + ": " + caption);
                used.add(t);
                parsed++;
            }
        }
        assertEquals(EnumSet.allOf(CaptionWriter.Template.class), used);
        assertTrue(parsed > 3400 * 6, "captions parsed: " + parsed);
    }

    @Test void handWrittenCaptionsReadAsAPersonWouldReadThem() {
        assertEquals(SceneSpec.of(new SceneItem(7, Size.SMALL, Position.LEFT, Brightness.DARK)),
                CaptionParser.parse("a small dark sneaker on the left"));
        assertEquals(SceneSpec.of(new SceneItem(8, Size.LARGE, Position.TOP, Brightness.LIGHT),
                        new SceneItem(6, Size.LARGE, Position.BOTTOM, Brightness.DARK)),
                CaptionParser.parse("Two items: a big bright handbag at the top and a large dim shirt below it."));
        assertEquals(SceneSpec.of(new SceneItem(9, Size.SMALL, Position.LEFT, Brightness.LIGHT),
                        new SceneItem(9, Size.SMALL, Position.RIGHT, Brightness.LIGHT)),
                CaptionParser.parse("two tiny pale boots side by side"));
        assertEquals(SceneSpec.of(new SceneItem(1, Size.LARGE, Position.RIGHT, Brightness.DARK),
                        new SceneItem(0, Size.SMALL, Position.LEFT, Brightness.LIGHT)),
                CaptionParser.parse("A light little tee to the left of a large dark pair of pants"));
        assertEquals(SceneSpec.of(new SceneItem(3, Size.SMALL, Position.CENTRE, Brightness.DARK)),
                CaptionParser.parse("In the middle, a dress, dim and small"));
        assertEquals(5, CaptionParser.firstClass("On the left, a small sandal; on the right, a big coat"));
        assertEquals(4, CaptionParser.firstClass("two dark jackets side by side"));
    }

    @Test void captionsThatSayTooLittleOrTooMuchAreRefusedNamingWhy() {
        assertMessage("a bag at the top and a large shirt below it", "has no size");
        assertMessage("a small bag at the top", "has no brightness");
        assertMessage("a small dark bag", "has no place");
        assertMessage("a small dark unicorn on the left", "the word 'unicorn' is not in the scene vocabulary");
        assertMessage("a small dark bag on the left and a large light coat on top", "LEFT and TOP");
        assertMessage("a small large bag on the left", "two sizes for one item");
        assertMessage("small dark bags on the left", "must follow 'two'");
        assertMessage("a small dark bag on the left below it", "needs two items");
        assertMessage("", "has no words");
        var e = assertThrows(IllegalArgumentException.class, () -> CaptionParser.firstClass("small and dark, on the left"));
        assertTrue(e.getMessage().contains("names no item class"), e.getMessage());
    }

    private static void assertMessage(String caption, String expected) {
        var e = assertThrows(IllegalArgumentException.class, () -> CaptionParser.parse(caption), caption);
        assertTrue(e.getMessage().contains(expected), "'" + caption + "' gave: " + e.getMessage());
    }
}
