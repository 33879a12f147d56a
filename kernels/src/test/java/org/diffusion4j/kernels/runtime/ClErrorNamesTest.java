package org.diffusion4j.kernels.runtime;

import org.diffusion4j.kernels.OpenClTestDevice;
import org.jocl.CL;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClErrorNamesTest {

    /** The reference is JOCL's own table, which needs the native library: an OpenCL test. */
    @Test void theTableAgreesWithJocl() {
        OpenClTestDevice.backend();
        int compared = 0;
        for (int code : ClErrorNames.codes()) {
            String jocl = CL.stringFor_errorCode(code);
            if (!jocl.startsWith("CL_")) continue;   // a code newer than this JOCL knows
            assertEquals(jocl, ClErrorNames.of(code), "code " + code);
            compared++;
        }
        assertTrue(compared >= 60, "JOCL named only " + compared + " codes");
    }

    @Test void anUnknownCodeKeepsItsNumber() {
        assertEquals("CL error -9999", ClErrorNames.of(-9999));
        assertEquals("CL_INVALID_KERNEL_ARGS", ClErrorNames.of(-52));
    }
}
