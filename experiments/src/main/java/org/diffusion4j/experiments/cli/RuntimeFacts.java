package org.diffusion4j.experiments.cli;

import org.diffusion4j.kernels.runtime.SignalChaining;

/**
 * The facts about this JVM that {@code d4j info} prints.
 *
 * @param javaVersion  java.runtime.version, e.g. "25.0.3+9-LTS"
 * @param javaVendor   java.vendor
 * @param javaHome     java.home
 * @param cpuThreads   hardware threads available to the JVM
 * @param maxHeapBytes the heap limit (-Xmx or the JVM's default)
 * @param signalChaining whether the JDK's libjsig is preloaded (see {@link SignalChaining})
 */
public record RuntimeFacts(String javaVersion, String javaVendor, String javaHome, int cpuThreads, long maxHeapBytes,
                           String signalChaining) {

    public static RuntimeFacts current() {
        Runtime rt = Runtime.getRuntime();
        return new RuntimeFacts(System.getProperty("java.runtime.version"), System.getProperty("java.vendor"),
                System.getProperty("java.home"), rt.availableProcessors(), rt.maxMemory(), SignalChaining.describe());
    }
}
