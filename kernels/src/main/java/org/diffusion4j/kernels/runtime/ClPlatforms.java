package org.diffusion4j.kernels.runtime;

import org.jocl.CL;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.util.ArrayList;
import java.util.List;

/**
 * Enumerates every device of every OpenCL platform, numbered across platforms in the order the ICD loader
 * lists them. Never throws: when the native library or the driver is missing, the result is empty and
 * {@link Result#unavailableReason()} says why.
 */
public final class ClPlatforms {
    private ClPlatforms() { }

    public record Result(List<ClDeviceInfo> devices, String unavailableReason) { }

    private static volatile Result cached;

    /** The devices found (enumerated once per JVM). */
    public static Result enumerate() {
        Result r = cached;
        if (r == null) {
            synchronized (ClPlatforms.class) {
                if (cached == null) cached = scan();
                r = cached;
            }
        }
        return r;
    }

    private static Result scan() {
        SignalChaining.warnIfMissing();   // before the ICD loader opens any driver
        try {
            CL.setExceptionsEnabled(false);
            int[] count = new int[1];
            int code = CL.clGetPlatformIDs(0, null, count);
            if (code == CL.CL_PLATFORM_NOT_FOUND_KHR || (code == CL.CL_SUCCESS && count[0] == 0)) {
                return new Result(List.of(), "no OpenCL platform found (the ICD loader lists none; install a driver such as PoCL or the GPU vendor's)");
            }
            if (code != CL.CL_SUCCESS) {
                return new Result(List.of(), "clGetPlatformIDs failed with " + ClException.nameOf(code) + " (" + code + ")");
            }
            cl_platform_id[] platforms = new cl_platform_id[count[0]];
            CL.clGetPlatformIDs(platforms.length, platforms, null);
            List<ClDeviceInfo> devices = new ArrayList<>();
            for (cl_platform_id p : platforms) {
                int[] n = new int[1];
                if (CL.clGetDeviceIDs(p, CL.CL_DEVICE_TYPE_ALL, 0, null, n) != CL.CL_SUCCESS || n[0] == 0) continue;
                cl_device_id[] ids = new cl_device_id[n[0]];
                CL.clGetDeviceIDs(p, CL.CL_DEVICE_TYPE_ALL, ids.length, ids, null);
                for (cl_device_id id : ids) devices.add(ClDeviceInfo.query(devices.size(), p, id));
            }
            if (devices.isEmpty()) return new Result(List.of(), "OpenCL platforms exist but none has a device");
            return new Result(List.copyOf(devices), null);
        } catch (Throwable t) {
            // UnsatisfiedLinkError when libOpenCL.so (or JOCL's own native library) cannot be loaded.
            String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().lines().findFirst().orElse("");
            return new Result(List.of(), "no OpenCL driver found: " + t.getClass().getSimpleName() + ": " + msg);
        }
    }
}
