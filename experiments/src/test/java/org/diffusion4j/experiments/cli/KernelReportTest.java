package org.diffusion4j.experiments.cli;

import org.diffusion4j.kernels.OpenClBackend;
import org.diffusion4j.kernels.runtime.ClDeviceInfo;
import org.diffusion4j.kernels.runtime.ClPlatforms;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.BinaryOp;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelReportTest {

    @Test void printsNothingWithoutAProfile() {
        StringWriter text = new StringWriter();
        KernelReport.printIfProfiling(Backends.cpu(), 10, "step", 5, new PrintWriter(text));
        assertEquals("", text.toString());
    }

    @Test void printsTheKernelsPerStepOfAProfilingBackend() {
        List<ClDeviceInfo> devices = ClPlatforms.enumerate().devices();
        Assumptions.assumeFalse(devices.isEmpty() && !"true".equalsIgnoreCase(System.getenv("CI")), "no OpenCL device");
        try (OpenClBackend b = new OpenClBackend(devices.get(0), true)) {
            Tensor x = Tensor.of(b, new float[]{1, 2, 3, 4}, 4);
            for (int i = 0; i < 6; i++) b.binary(BinaryOp.MUL, x.view(), x.view(), x.view());
            StringWriter text = new StringWriter();
            KernelReport.printIfProfiling(b, 3, "step", 5, new PrintWriter(text));
            String s = text.toString();
            assertTrue(s.startsWith("device time per kernel (D4J_OPENCL_PROFILE), everything the command launched divided by 3 steps:"), s);
            assertTrue(s.contains("| **all kernels** | 2.0 |"), "6 launches over 3 steps: " + s);

            long before = KernelReport.launchesSoFar(b);
            for (int i = 0; i < 5; i++) b.binary(BinaryOp.ADD, x.view(), x.view(), x.view());
            StringWriter line = new StringWriter();
            KernelReport.printLaunchesIfProfiling(b, before, 2, "network evaluation", new PrintWriter(line));
            assertEquals("kernels launched: 5, 2.5 per network evaluation" + System.lineSeparator(), line.toString());
            StringWriter none = new StringWriter();
            KernelReport.printLaunchesIfProfiling(Backends.cpu(), 0, 2, "step", new PrintWriter(none));
            assertEquals("", none.toString());
        }
    }
}
