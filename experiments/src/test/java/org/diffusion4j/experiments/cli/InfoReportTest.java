package org.diffusion4j.experiments.cli;

import org.diffusion4j.tensor.BackendProvider;
import org.diffusion4j.tensor.Device;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.diffusion4j.experiments.cli.FakeProvider.GIB;
import static org.diffusion4j.experiments.cli.FakeProvider.cpu;
import static org.diffusion4j.experiments.cli.FakeProvider.gpu;
import static org.junit.jupiter.api.Assertions.*;

class InfoReportTest {

    private static final RuntimeFacts JVM = new RuntimeFacts("21.0.5+11", "Eclipse Adoptium", "/opt/jdk-21", 3,
            3 * GIB / 2, "on (/opt/jdk-21/lib/libjsig.so preloaded)");
    private static final String CPU = "pure-Java CPU (3 threads)";

    private static String render(List<BackendProvider> providers) {
        DeviceChoice choice = DeviceChoice.resolve(DeviceRequest.automatic(), providers);
        return InfoReport.render("9.9.9", JVM, CPU, providers, choice, null);
    }

    @Test
    void printsVersionAndJvmFacts() {
        String text = render(List.of());
        assertTrue(text.startsWith("diffusion4j 9.9.9\n"), text);
        assertTrue(text.contains("  version      21.0.5+11 (Eclipse Adoptium)\n"), text);
        assertTrue(text.contains("  home         /opt/jdk-21\n"), text);
        assertTrue(text.contains("  signals      chaining on (/opt/jdk-21/lib/libjsig.so preloaded)\n"), text);
        assertTrue(text.contains("  CPU threads  3\n"), text);
        assertTrue(text.contains("  max heap     1.5 GiB\n"), text);
        assertTrue(text.contains("  cpu          pure-Java CPU (3 threads), always present\n"), text);
    }

    @Test
    void withoutAProviderSaysSoInOneLineAndChoosesTheCpu() {
        String text = render(List.of());
        assertEquals(1, text.lines().filter(l -> l.contains("OpenCL")).count(), text);
        assertTrue(text.contains("OpenCL: no OpenCL provider is present"), text);
        assertTrue(text.contains("  chosen       cpu\n"), text);
    }

    @Test
    void withoutADriverGivesTheProvidersReasonInOneLine() {
        String text = render(List.of(FakeProvider.noDriver()));
        assertTrue(text.contains("OpenCL: no OpenCL driver found (libOpenCL.so could not be loaded); "
                + "the CPU backend will be used.\n"), text);
        assertTrue(text.contains("  opencl       provider " + FakeProvider.class.getName()), text);
        assertTrue(text.contains("  chosen       cpu\n"), text);
    }

    @Test
    void listsEveryDeviceUnderItsPlatformWithTypeMemoryUnitsAndFp64() {
        BackendProvider.DeviceInfo noFp64 = new BackendProvider.DeviceInfo(2, "NVIDIA CUDA", "T4", "GPU",
                15 * GIB, 40, false, "OpenCL 3.0 CUDA");
        FakeProvider openCl = new FakeProvider("opencl",
                List.of(cpu(0, "pthread-cpu"), gpu(1, "H100"), noFp64), 1, null);
        String text = render(List.of(openCl));
        assertTrue(text.contains("OpenCL platforms and devices\n"
                + "  platform Portable Computing Language\n"
                + "    opencl:0   pthread-cpu\n"
                + "               CPU, 6.5 GiB memory, 2 compute units, fp64 yes, OpenCL 3.0 PoCL\n"
                + "  platform NVIDIA CUDA\n"
                + "    opencl:1   H100\n"
                + "               GPU, 80.0 GiB memory, 132 compute units, fp64 yes, OpenCL 3.0 CUDA\n"
                + "    opencl:2   T4\n"
                + "               GPU, 15.0 GiB memory, 40 compute units, fp64 no, OpenCL 3.0 CUDA\n"), text);
        assertTrue(text.contains("  chosen       opencl:1\n"), text);
        assertFalse(text.contains("no OpenCL"), text);
    }

    @Test
    void anUnsatisfiableRequestIsReportedInsteadOfAChoice() {
        String text = InfoReport.render("1", JVM, CPU, List.of(), null, "device 'opencl' from --device: no opencl provider");
        assertTrue(text.contains("  chosen       none: device 'opencl' from --device: no opencl provider\n"), text);
    }

    @Test
    void gibRoundsToOneDecimal() {
        assertEquals("0.0 GiB", InfoReport.gib(0));
        assertEquals("1.0 GiB", InfoReport.gib(GIB));
        assertEquals("79.1 GiB", InfoReport.gib(84_942_979_072L)); // 84942979072 / 2^30 = 79.108...
    }

    @Test
    void choiceOfTheReportIsTheOneResolved() {
        FakeProvider gpus = new FakeProvider("opencl", List.of(gpu(0, "A"), gpu(1, "B")), 0, null);
        DeviceChoice c = DeviceChoice.resolve(DeviceRequest.parse("opencl:1", "--device", List.of(gpus)), List.of(gpus));
        assertEquals(new Device("opencl", 1), c.device());
        String text = InfoReport.render("1", JVM, CPU, List.of(gpus), c, null);
        assertTrue(text.contains("  chosen       opencl:1\n  why          asked for with --device (B)\n"), text);
    }
}
