package org.diffusion4j.experiments.cli;

import org.diffusion4j.tensor.BackendProvider;
import org.diffusion4j.tensor.BackendProvider.DeviceInfo;

import java.util.List;
import java.util.Locale;

/**
 * The text of {@code d4j info}, built from plain facts (so tests can feed it any machine): the version,
 * the JVM, the backends present, every device of every provider, and the device a command would use.
 */
public final class InfoReport {

    private static final String OPENCL = "opencl";

    private final StringBuilder text = new StringBuilder();

    private InfoReport() { }

    /**
     * @param cpuDescription the CPU backend's own description (its threads and JVM)
     * @param choice the device a command would use, or null when the request cannot be satisfied
     * @param choiceError why it cannot (when choice is null)
     */
    public static String render(String version, RuntimeFacts jvm, String cpuDescription, List<BackendProvider> providers,
                                DeviceChoice choice, String choiceError) {
        InfoReport r = new InfoReport();
        r.line("diffusion4j " + version);
        r.line("");
        r.line("Java");
        r.field("version", jvm.javaVersion() + " (" + jvm.javaVendor() + ")");
        r.field("home", jvm.javaHome());
        r.field("CPU threads", Integer.toString(jvm.cpuThreads()));
        r.field("max heap", gib(jvm.maxHeapBytes()));
        r.field("signals", "chaining " + jvm.signalChaining());
        r.line("");
        r.line("Backends");
        r.field("cpu", cpuDescription + ", always present");
        for (BackendProvider p : providers) r.field(p.kind(), "provider " + p.getClass().getName());
        r.line("");
        r.openClSection(providers);
        for (BackendProvider p : providers) if (!p.kind().equals(OPENCL)) r.otherSection(p);
        r.line("Device");
        if (choice != null) {
            r.field("chosen", choice.device().toString());
            r.field("why", choice.reason());
        } else {
            r.field("chosen", "none: " + choiceError);
        }
        return r.text.toString();
    }

    private void openClSection(List<BackendProvider> providers) {
        BackendProvider openCl = providers.stream().filter(p -> p.kind().equals(OPENCL)).findFirst().orElse(null);
        if (openCl == null) {
            line("OpenCL: no OpenCL provider is present (the kernels module registers none); the CPU backend will be used.");
            line("");
            return;
        }
        List<DeviceInfo> devices = openCl.devices();
        if (devices.isEmpty()) {
            String why = openCl.unavailableReason();
            line("OpenCL: no OpenCL driver found (" + (why == null ? "the provider gave no reason" : why)
                    + "); the CPU backend will be used.");
            line("");
            return;
        }
        line("OpenCL platforms and devices");
        devicesByPlatform(OPENCL, devices);
    }

    private void otherSection(BackendProvider p) {
        List<DeviceInfo> devices = p.devices();
        if (devices.isEmpty()) {
            String why = p.unavailableReason();
            line(p.kind() + ": no device found" + (why == null ? "" : " (" + why + ")") + ".");
            line("");
            return;
        }
        line(p.kind() + " devices");
        devicesByPlatform(p.kind(), devices);
    }

    /** Lists devices under a heading per platform, in the provider's order (which is the index order). */
    private void devicesByPlatform(String kind, List<DeviceInfo> devices) {
        String platform = null;
        for (DeviceInfo d : devices) {
            if (!d.platform().equals(platform)) {
                platform = d.platform();
                line("  platform " + platform);
            }
            line(String.format(Locale.ROOT, "    %-10s %s", kind + ":" + d.index(), d.name()));
            line(String.format(Locale.ROOT, "    %-10s %s, %s memory, %d compute units, fp64 %s, %s", "",
                    d.type(), gib(d.globalMemoryBytes()), d.computeUnits(), d.fp64() ? "yes" : "no", d.version()));
        }
        line("");
    }

    private void field(String name, String value) {
        line(String.format(Locale.ROOT, "  %-12s %s", name, value));
    }

    private void line(String s) { text.append(s).append('\n'); }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024.0 * 1024.0));
    }
}
