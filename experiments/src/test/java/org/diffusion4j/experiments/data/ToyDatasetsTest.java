package org.diffusion4j.experiments.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToyDatasetsTest {

    @Test
    void pointsDoNotDependOnHowManyAreDrawn() {
        for (String name : ToyDatasets.NAMES) {
            double[][] few = ToyDatasets.sample(name, 5, 11), many = ToyDatasets.sample(name, 50, 11);
            for (int i = 0; i < 5; i++) assertArrayEquals(few[i], many[i], name);
        }
    }

    @Test
    void eightGaussiansClusterAroundTheirCentres() {
        int n = 8000;
        double[][] p = ToyDatasets.sample("8gaussians", n, 3);
        int[] counts = new int[8];
        for (double[] x : p) {
            double ang = Math.atan2(x[1], x[0]);
            int k = (int) Math.floorMod(Math.round(ang / (Math.PI / 4)), 8);
            double cx = 2 * Math.cos(k * Math.PI / 4), cy = 2 * Math.sin(k * Math.PI / 4);
            assertTrue(Math.hypot(x[0] - cx, x[1] - cy) < 0.1 * 6, "point far from every centre");
            counts[k]++;
        }
        // Multinomial counts: each ~ n/8 = 1000 with sd ~ 29.6; allow 5 sd.
        for (int c : counts) assertEquals(1000, c, 150);
    }

    @Test
    void checkerboardStaysOnBlackSquares() {
        for (double[] x : ToyDatasets.sample("checkerboard", 2000, 5)) {
            int col = (int) Math.floor(x[0] + 2), row = (int) Math.floor(x[1] + 2);
            assertTrue(col >= 0 && col < 4 && row >= 0 && row < 4);
            // Black squares are those whose row and column have the same parity.
            assertEquals(0, Math.floorMod(col - row, 2), "square (" + row + "," + col + ") is white");
        }
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> ToyDatasets.sample("spiral", 1, 0));
        assertTrue(e.getMessage().contains("swiss-roll"));
    }
}
