package org.diffusion4j.experiments.scenes;

import org.diffusion4j.experiments.data.ImageDataset;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class CaptionedScenesTest {
    private static final ImageDataset ITEMS = SceneTestData.synthetic(3, 7);

    private static CaptionedScenes scenes(CaptionedScenes.Split split, CaptionedScenes.Combinations c, long seed, int n) {
        return new CaptionedScenes(ITEMS, split, c, seed, n);
    }

    @Test void aSceneIsAPureFunctionOfSeedAndIndex() {
        CaptionedScenes a = scenes(CaptionedScenes.Split.TRAIN, CaptionedScenes.Combinations.SEEN, 11, 50);
        CaptionedScenes b = scenes(CaptionedScenes.Split.TRAIN, CaptionedScenes.Combinations.SEEN, 11, 500);
        for (int i : new int[]{49, 3, 0, 17}) {   // out of order, and in a set of another size
            CaptionedScenes.Scene x = a.scene(i), y = b.scene(i);
            assertArrayEquals(x.canvas(), y.canvas());
            assertEquals(x.caption(), y.caption());
            assertEquals(x.spec(), y.spec());
            assertArrayEquals(x.sourceItems(), y.sourceItems());
            assertEquals(x.caption(), a.caption(i), "the caption alone is the scene's caption");
            assertEquals(x.spec(), a.spec(i));
        }
        assertEquals(a.scenes(0, 50).stream().map(CaptionedScenes.Scene::caption).toList(), a.captions());
        CaptionedScenes other = scenes(CaptionedScenes.Split.TRAIN, CaptionedScenes.Combinations.SEEN, 12, 50);
        int differ = 0;
        for (int i = 0; i < 50; i++) if (!a.scene(i).caption().equals(other.scene(i).caption())) differ++;
        assertTrue(differ > 40, "another seed gives other scenes: " + differ + " of 50 captions differ");
        int testDiffers = 0;
        CaptionedScenes test = scenes(CaptionedScenes.Split.TEST, CaptionedScenes.Combinations.SEEN, 11, 50);
        for (int i = 0; i < 50; i++) if (!a.scene(i).caption().equals(test.scene(i).caption())) testDiffers++;
        assertTrue(testDiffers > 40, "the test split draws its own scenes: " + testDiffers + " of 50 differ");
    }

    @Test void trainingScenesNeverHoldAHeldOutCombinationAndHeldOutScenesAlwaysDo() {
        CaptionedScenes train = scenes(CaptionedScenes.Split.TRAIN, CaptionedScenes.Combinations.SEEN, 3, 3000);
        CaptionedScenes held = scenes(CaptionedScenes.Split.TEST, CaptionedScenes.Combinations.HELD_OUT, 3, 600);
        Set<String> rulesHit = new HashSet<>();
        for (int i = 0; i < train.size(); i++) {
            SceneSpec s = train.scene(i).spec();
            for (SceneItem it : s.items()) {   // the rules written out again, independently of HeldOutCombinations
                assertFalse(it.fashionClass() == 8 && it.pos() == Position.BOTTOM, "bag at the bottom in training: " + s);
                assertFalse(it.fashionClass() == 7 && it.brightness() == Brightness.LIGHT, "light sneaker in training: " + s);
                assertFalse(it.fashionClass() == 1 && it.size() == Size.SMALL, "small trousers in training: " + s);
                assertFalse(it.fashionClass() == 3 && it.pos() == Position.LEFT, "dress on the left in training: " + s);
            }
            boolean coatAndSandal = s.count() == 2 && s.items().stream().anyMatch(it -> it.fashionClass() == 4)
                    && s.items().stream().anyMatch(it -> it.fashionClass() == 5);
            assertFalse(coatAndSandal, "coat with sandal in training: " + s);
        }
        for (int i = 0; i < held.size(); i++) {
            SceneSpec s = held.scene(i).spec();
            assertTrue(HeldOutCombinations.isHeldOut(s), s::toString);
            for (HeldOutCombinations.Rule r : HeldOutCombinations.RULES) if (r.matches().test(s)) rulesHit.add(r.description());
        }
        assertEquals(HeldOutCombinations.RULES.size(), rulesHit.size(), "every held-out rule occurs in 600 held-out scenes: " + rulesHit);
    }

    @Test void sourceItemsHaveTheAskedClassAndTheCanvasIsTheirDrawing() {
        CaptionedScenes s = scenes(CaptionedScenes.Split.TEST, CaptionedScenes.Combinations.SEEN, 5, 40);
        for (int i = 0; i < s.size(); i++) {
            CaptionedScenes.Scene sc = s.scene(i);
            assertEquals(sc.spec().count(), sc.sourceItems().length);
            double[][] images = new double[sc.sourceItems().length][];
            for (int k = 0; k < images.length; k++) {
                assertEquals(sc.spec().item(k).fashionClass(), ITEMS.label(sc.sourceItems()[k]));
                images[k] = ITEMS.image(sc.sourceItems()[k]);
            }
            assertArrayEquals(SceneCanvas.draw(sc.spec(), images), sc.canvas());
            for (float v : sc.canvas()) assertTrue(v >= -1 && v <= 1, "canvas value " + v + " outside [-1, 1]");
            assertEquals(sc.spec(), CaptionParser.parse(sc.caption()), sc.caption());
        }
        float[] flat = s.canvases(new int[]{4, 2});
        assertArrayEquals(s.scene(2).canvas(), Arrays.copyOfRange(flat, 1024, 2048));
    }

    @Test void oneAndTwoItemScenesAndEveryAttributeOccur() {
        CaptionedScenes s = scenes(CaptionedScenes.Split.TRAIN, CaptionedScenes.Combinations.SEEN, 9, 800);
        int[] counts = new int[3];
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < s.size(); i++) {
            SceneSpec spec = s.scene(i).spec();
            counts[spec.count()]++;
            for (SceneItem it : spec.items()) { seen.add(it.pos()); seen.add(it.size()); seen.add(it.brightness()); seen.add(it.fashionClass()); }
        }
        // one item with probability 1/2 before rejection; the held-out rules reject a few per cent more pairs
        assertTrue(counts[1] > 330 && counts[1] < 500, "one-item scenes " + counts[1] + " of 800");
        assertEquals(5 + 2 + 2 + 10, seen.size(), seen::toString);
    }

    @Test void badInputIsRefusedWithAMessage() {
        var e = assertThrows(IllegalArgumentException.class, () -> scenes(CaptionedScenes.Split.TRAIN, CaptionedScenes.Combinations.SEEN, 0, 0));
        assertTrue(e.getMessage().contains("positive, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> scenes(CaptionedScenes.Split.TRAIN, CaptionedScenes.Combinations.HELD_OUT, 0, 5));
        assertTrue(e.getMessage().contains("never appear in the training split"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CaptionedScenes.Split.parse("validation"));
        assertTrue(e.getMessage().contains("'validation'") && e.getMessage().contains("train or test"), e.getMessage());
        assertEquals(CaptionedScenes.Split.TEST, CaptionedScenes.Split.parse(" Test"));
        CaptionedScenes s = scenes(CaptionedScenes.Split.TRAIN, CaptionedScenes.Combinations.SEEN, 0, 5);
        e = assertThrows(IllegalArgumentException.class, () -> s.scene(5));
        assertTrue(e.getMessage().contains("index 5") && e.getMessage().contains("0..4"), e.getMessage());
        ImageDataset noBags = new ImageDataset(new byte[][]{new byte[784], new byte[784]}, new int[]{0, 1}, 1, 28, 28, 10);
        e = assertThrows(IllegalArgumentException.class, () -> new CaptionedScenes(noBags, CaptionedScenes.Split.TEST,
                CaptionedScenes.Combinations.SEEN, 0, 5));
        assertTrue(e.getMessage().contains("class 2 (Pullover) has no image"), e.getMessage());
    }
}
