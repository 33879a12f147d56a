package org.diffusion4j.kernels;

import org.diffusion4j.kernels.runtime.ClDeviceInfo;
import org.diffusion4j.kernels.runtime.ClPlatforms;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.util.List;

/**
 * Finds the OpenCL device the tests run on: {@code D4J_TEST_OPENCL=N} picks device N; otherwise the first
 * GPU, else the first device of any kind (PoCL here and in CI). When no OpenCL platform exists the tests
 * fail under {@code CI=true} (CI must run them) and are skipped elsewhere with a printed notice.
 */
public final class OpenClTestDevice {
    private static OpenClBackend backend;

    private OpenClTestDevice() { }

    /** The backend under test, opened once per JVM. */
    public static synchronized OpenClBackend backend() {
        if (backend != null) return backend;
        ClPlatforms.Result r = ClPlatforms.enumerate();
        List<ClDeviceInfo> devices = r.devices();
        if (devices.isEmpty()) {
            String reason = r.unavailableReason();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail("CI=true but no OpenCL device is usable: " + reason);
            System.out.println("OpenCL tests skipped: " + reason);
            Assumptions.abort("OpenCL tests skipped: " + reason);
        }
        String pick = System.getenv("D4J_TEST_OPENCL");
        ClDeviceInfo chosen = null;
        if (pick != null && !pick.isBlank()) {
            int n = Integer.parseInt(pick.trim());
            if (n < 0 || n >= devices.size()) Assertions.fail("D4J_TEST_OPENCL=" + n + " but only " + devices.size() + " devices exist");
            chosen = devices.get(n);
        } else {
            for (ClDeviceInfo d : devices) if (d.isGpu()) { chosen = d; break; }
            if (chosen == null) chosen = devices.get(0);
        }
        backend = new OpenClBackend(chosen);
        System.out.println("OpenCL tests run on " + backend.description());
        return backend;
    }
}
