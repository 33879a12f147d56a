package org.diffusion4j.kernels;

import org.diffusion4j.kernels.runtime.SignalChaining;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The libjsig detection, and that this test JVM (as every JVM that opens OpenCL) runs with it preloaded. */
class SignalChainingTest {

    @Test void recognisesLibjsigInAnLdPreloadList() {
        assertTrue(SignalChaining.preloads("/usr/lib/jvm/jdk-25/lib/libjsig.so"));
        assertTrue(SignalChaining.preloads("/opt/a.so:/opt/jdk/lib/libjsig.so"));
        assertTrue(SignalChaining.preloads("/opt/a.so /opt/jdk/lib/libjsig.so"));
        assertTrue(SignalChaining.preloads("libjsig.so"));
        assertFalse(SignalChaining.preloads(null));
        assertFalse(SignalChaining.preloads(""));
        assertFalse(SignalChaining.preloads("/opt/jdk/lib/libjsig.so.bak"));
        assertFalse(SignalChaining.preloads("/opt/not-libjsig.so2"));
    }

    /**
     * The Maven build preloads libjsig into the test JVMs (the root pom's jsig profile); without it, PoCL's
     * LLVM takes SIGSEGV from the JVM and the OpenCL tests die at random with exit code 139.
     */
    @Test void theTestJvmHasSignalChainingInEffect() {
        assertTrue(SignalChaining.inEffect(), "LD_PRELOAD=" + System.getenv("LD_PRELOAD") + ", java.home="
                + System.getProperty("java.home") + ": " + SignalChaining.describe());
        if (SignalChaining.library() != null) {
            assertTrue(SignalChaining.describe().startsWith("on ("), SignalChaining.describe());
        }
    }
}
