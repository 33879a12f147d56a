package org.diffusion4j.autograd;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.BackendProvider;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The OpenCL backend for autograd tests, found only through the tensor module's provider SPI. Without an
 * OpenCL provider, device or F64 support the tests are skipped with a printed notice, except under
 * {@code CI=true}, where they fail: CI must run them.
 */
public final class OpenClDevice {
    private static Backend backend;
    private static String unavailable;

    private OpenClDevice() { }

    /** An OpenCL backend with F64 (the first GPU, else the first device), or a skip/failure as described. */
    public static synchronized Backend backend() {
        if (backend == null && unavailable == null) {
            find();
            if (unavailable != null) System.out.println("OpenCL autograd tests skipped: " + unavailable);
        }
        if (backend != null) return backend;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail("CI=true but the OpenCL autograd tests cannot run: " + unavailable);
        Assumptions.abort("OpenCL autograd tests skipped: " + unavailable);
        return null;
    }

    private static void find() {
        BackendProvider p = Backends.provider("opencl");
        if (p == null) { unavailable = "no OpenCL backend provider on the class path"; return; }
        BackendProvider.DeviceInfo chosen = null;
        for (BackendProvider.DeviceInfo d : p.devices()) {
            if (chosen == null || (d.type().equalsIgnoreCase("GPU") && !chosen.type().equalsIgnoreCase("GPU"))) chosen = d;
        }
        if (chosen == null) {
            unavailable = "no OpenCL device" + (p.unavailableReason() == null ? "" : " (" + p.unavailableReason() + ")");
            return;
        }
        Backend b = Backends.select("opencl:" + chosen.index());
        if (!b.supports(DType.F64)) { unavailable = b.description() + " has no F64 (cl_khr_fp64)"; return; }
        backend = b;
        System.out.println("OpenCL autograd tests run on " + b.description());
    }
}
