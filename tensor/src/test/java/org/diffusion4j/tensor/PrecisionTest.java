package org.diffusion4j.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PrecisionTest {

    @Test void namesParseCaseInsensitively() {
        assertEquals(Precision.STRICT, Precision.parse("strict"));
        assertEquals(Precision.TF32, Precision.parse(" TF32 "));
        assertEquals(Precision.TF32X3, Precision.parse("3xTF32"));
        for (Precision p : Precision.values()) assertEquals(p, Precision.parse(p.label()));
    }

    @Test void aBadNameListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp16"));
        assertEquals("unknown precision 'fp16': expected one of strict, tf32, 3xtf32", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Precision.parse(null));
    }

    @Test void theCpuBackendRefusesTensorCorePoliciesNamingItself() {
        Backend cpu = Backends.cpu();
        assertEquals(java.util.Set.of(Precision.STRICT), cpu.supportedPrecisions());
        cpu.setPrecision(Precision.STRICT);
        assertEquals(Precision.STRICT, cpu.precision());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cpu.setPrecision(Precision.TF32));
        assertTrue(e.getMessage().startsWith("precision tf32 is not available on " + cpu.description() + ": it supports strict"), e.getMessage());
        assertEquals(Precision.STRICT, cpu.precision());
    }
}
