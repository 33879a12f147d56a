package org.diffusion4j.kernels.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The tensor-core tile parameters: derived sizes, the local-memory footprint gemm_mma.cl declares, bad values. */
class MmaConfigTest {

    @Test void theDefaultTileIs128By128WithEightWarps() {
        MmaConfig c = MmaConfig.parse("2,4,4,4");
        assertEquals(256, c.threads());
        assertEquals(128, c.tileM());
        assertEquals(128, c.tileN());
        // two buffers of A [128][16 + 4] and B [16][128 + 8] words: 2 * 4 * (2560 + 2176) bytes, under 48 KiB
        assertEquals(37_888, c.localBytes());
        assertEquals("-DWARPS_M=2 -DWARPS_N=4 -DMT=4 -DNT=4", c.options());
    }

    @Test void badValuesAreRejectedNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MmaConfig(0, 4, 4, 4));
        assertTrue(e.getMessage().contains("0,4,4,4"), e.getMessage());
        // 8 x 8 warps (2048 items) cannot split the 16 x 64 B tile evenly
        assertThrows(IllegalArgumentException.class, () -> new MmaConfig(8, 8, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> MmaConfig.parse("2,4,4"));
    }
}
