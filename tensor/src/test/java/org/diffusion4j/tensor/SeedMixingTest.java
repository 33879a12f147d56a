package org.diffusion4j.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class SeedMixingTest {

    @Test
    void splitMix64AndFnv1aMatchTheirPublishedValues() {
        // SplitMix64 seeded with 0: the first output is 0xe220a8397b1dcdaf (Vigna's reference implementation).
        assertEquals(0xe220a8397b1dcdafL, SeedMixing.mix(0));
        // FNV-1a 64-bit test vectors: "" -> offset basis, "a" -> 0xaf63dc4c8601ec8c (Fowler, Noll, Vo).
        assertEquals(0xcbf29ce484222325L, SeedMixing.hash(""));
        assertEquals(0xaf63dc4c8601ec8cL, SeedMixing.hash("a"));
    }

    @Test
    void keyChainsTheCountersInOrder() {
        long expected = SeedMixing.mix(SeedMixing.mix(SeedMixing.mix(SeedMixing.mix(7) ^ SeedMixing.hash("drop")) ^ 3) ^ 1);
        assertEquals(expected, SeedMixing.key(7, "drop", 3, 1));
        assertNotEquals(SeedMixing.key(7, "drop", 3, 1), SeedMixing.key(7, "drop", 1, 3));
        assertNotEquals(SeedMixing.key(7, "a"), SeedMixing.key(8, "a"));
    }
}
