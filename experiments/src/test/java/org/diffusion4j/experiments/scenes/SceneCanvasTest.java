package org.diffusion4j.experiments.scenes;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class SceneCanvasTest {
    private static double[] full(double value) {
        double[] d = new double[784];
        Arrays.fill(d, value);
        return d;
    }

    @Test void aUniformItemFillsExactlyItsBoxAtItsBrightness() {
        for (Position p : Position.values()) {
            for (Size z : Size.values()) {
                for (Brightness b : Brightness.values()) {
                    SceneItem it = new SceneItem(3, z, p, b);
                    float[] c = SceneCanvas.draw(SceneSpec.of(it), new double[][]{full(0.3)});   // any shade normalises to 1
                    int side = z == Size.LARGE ? 14 : 10;
                    int x0 = (p == Position.LEFT ? 0 : p == Position.RIGHT ? 16 : 8) + (16 - side) / 2;
                    int y0 = (p == Position.TOP ? 0 : p == Position.BOTTOM ? 16 : 8) + (16 - side) / 2;
                    double ink = b == Brightness.LIGHT ? 1.0 : 2 * 0.45 - 1;
                    for (int y = 0; y < 32; y++) {
                        for (int x = 0; x < 32; x++) {
                            boolean inside = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
                            assertEquals(inside ? ink : -1.0, c[y * 32 + x], 1e-6, it + " pixel (" + x + ", " + y + ")");
                        }
                    }
                }
            }
        }
    }

    @Test void areaAveragingMatchesBlockMeansAndKeepsTheMean() {
        double[] img = new double[28 * 28];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < img.length; i++) img[i] = r.nextDouble();
        double[] half = ImageResize.area(img, 28, 14);
        for (int y = 0; y < 14; y++) {
            for (int x = 0; x < 14; x++) {
                double mean = (img[2 * y * 28 + 2 * x] + img[2 * y * 28 + 2 * x + 1] + img[(2 * y + 1) * 28 + 2 * x]
                        + img[(2 * y + 1) * 28 + 2 * x + 1]) / 4;
                assertEquals(mean, half[y * 14 + x], 1e-12);
            }
        }
        double[] ten = ImageResize.area(img, 28, 10);
        assertEquals(Arrays.stream(img).average().orElseThrow(), Arrays.stream(ten).average().orElseThrow(), 1e-12);
        // bilinear growth reproduces a linear ramp away from the clamped edges
        double[] ramp = new double[10 * 10];
        for (int y = 0; y < 10; y++) for (int x = 0; x < 10; x++) ramp[y * 10 + x] = x;
        double[] grown = ImageResize.bilinear(ramp, 10, 28);
        for (int x = 3; x < 25; x++) assertEquals((x + 0.5) * 10 / 28 - 0.5, grown[5 * 28 + x], 1e-12);
    }

    @Test void theCropOfADrawnItemIsItsShrunkAndRegrownImage() {
        double[] img = new double[784];
        for (int y = 0; y < 28; y++) for (int x = 0; x < 28; x++) img[y * 28 + x] = x < 14 ? 1 : -1;   // left half white
        SceneItem it = new SceneItem(0, Size.LARGE, Position.RIGHT, Brightness.DARK);
        double[] crop = SceneCanvas.crop28(SceneCanvas.draw(SceneSpec.of(it), new double[][]{img}), it);
        for (int y = 0; y < 28; y++) {
            assertEquals(1.0, crop[y * 28 + 5], 1e-6, "dark ink is restored to full intensity");
            assertEquals(-1.0, crop[y * 28 + 22], 1e-6);
        }
    }

    @Test void wrongImagesAreRefused() {
        SceneSpec one = SceneSpec.of(new SceneItem(1, Size.LARGE, Position.TOP, Brightness.DARK));
        var e = assertThrows(IllegalArgumentException.class, () -> SceneCanvas.draw(one, new double[][]{new double[100]}));
        assertTrue(e.getMessage().contains("100 values, expected 784"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SceneCanvas.draw(one, new double[][]{full(0), full(0)}));
        assertTrue(e.getMessage().contains("given 2 images"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SceneCanvas.crop28(new float[28 * 28], one.item(0)));
        assertTrue(e.getMessage().contains("got 784"), e.getMessage());
    }

    @Test void specsAreCanonicalAndRefuseOverlappingPlaces() {
        SceneItem left = new SceneItem(8, Size.SMALL, Position.LEFT, Brightness.DARK);
        SceneItem right = new SceneItem(2, Size.LARGE, Position.RIGHT, Brightness.LIGHT);
        assertEquals(SceneSpec.of(left, right), SceneSpec.of(right, left));
        assertEquals(left, SceneSpec.of(right, left).item(0));
        var e = assertThrows(IllegalArgumentException.class, () -> SceneSpec.of(left,
                new SceneItem(2, Size.LARGE, Position.TOP, Brightness.LIGHT)));
        assertTrue(e.getMessage().contains("LEFT and TOP"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SceneSpec.of(left, right, left));
        assertTrue(e.getMessage().contains("1 or 2 items, got 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SceneItem(10, Size.SMALL, Position.LEFT, Brightness.DARK));
        assertTrue(e.getMessage().contains("class 10"), e.getMessage());
    }
}
