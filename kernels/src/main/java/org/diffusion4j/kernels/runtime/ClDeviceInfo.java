package org.diffusion4j.kernels.runtime;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.nio.charset.StandardCharsets;

/** What the runtime needs to know about one OpenCL device, queried once. */
public record ClDeviceInfo(int index, cl_platform_id platform, cl_device_id device, String platformName,
                           String name, String vendor, String type, String version, int computeUnits,
                           long globalMemoryBytes, long maxAllocBytes, long localMemoryBytes,
                           long maxWorkGroupSize, boolean fp64) {

    /** Queries a device's properties; index is its number across all platforms. */
    public static ClDeviceInfo query(int index, cl_platform_id platform, cl_device_id device) {
        long typeBits = longInfo(device, CL.CL_DEVICE_TYPE);
        String type = (typeBits & CL.CL_DEVICE_TYPE_GPU) != 0 ? "GPU"
                : (typeBits & CL.CL_DEVICE_TYPE_CPU) != 0 ? "CPU"
                : (typeBits & CL.CL_DEVICE_TYPE_ACCELERATOR) != 0 ? "ACCELERATOR" : "OTHER";
        String extensions = stringInfo(device, CL.CL_DEVICE_EXTENSIONS);
        return new ClDeviceInfo(index, platform, device, platformString(platform, CL.CL_PLATFORM_NAME),
                stringInfo(device, CL.CL_DEVICE_NAME), stringInfo(device, CL.CL_DEVICE_VENDOR), type,
                stringInfo(device, CL.CL_DEVICE_VERSION), intInfo(device, CL.CL_DEVICE_MAX_COMPUTE_UNITS),
                longInfo(device, CL.CL_DEVICE_GLOBAL_MEM_SIZE), longInfo(device, CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE),
                longInfo(device, CL.CL_DEVICE_LOCAL_MEM_SIZE), sizeInfo(device, CL.CL_DEVICE_MAX_WORK_GROUP_SIZE),
                extensions.contains("cl_khr_fp64"));
    }

    public boolean isGpu() { return type.equals("GPU"); }

    /** e.g. "NVIDIA H100 (OpenCL 3.0 CUDA, GPU, 132 CUs, 79.1 GiB, platform NVIDIA CUDA)". */
    public String describe() {
        return name.trim() + " (" + version.trim() + ", " + type + ", " + computeUnits + " CUs, "
                + String.format(java.util.Locale.ROOT, "%.1f GiB", globalMemoryBytes / (double) (1L << 30))
                + ", platform " + platformName.trim() + ")";
    }

    static String stringInfo(cl_device_id device, int param) {
        long[] size = new long[1];
        CL.clGetDeviceInfo(device, param, 0, null, size);
        byte[] buffer = new byte[(int) size[0]];
        CL.clGetDeviceInfo(device, param, buffer.length, Pointer.to(buffer), null);
        return trimNul(buffer);
    }

    static String platformString(cl_platform_id platform, int param) {
        long[] size = new long[1];
        CL.clGetPlatformInfo(platform, param, 0, null, size);
        byte[] buffer = new byte[(int) size[0]];
        CL.clGetPlatformInfo(platform, param, buffer.length, Pointer.to(buffer), null);
        return trimNul(buffer);
    }

    private static String trimNul(byte[] b) {
        int n = b.length;
        while (n > 0 && b[n - 1] == 0) n--;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    static long longInfo(cl_device_id device, int param) {
        long[] v = new long[1];
        CL.clGetDeviceInfo(device, param, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }

    static int intInfo(cl_device_id device, int param) {
        int[] v = new int[1];
        CL.clGetDeviceInfo(device, param, Sizeof.cl_uint, Pointer.to(v), null);
        return v[0];
    }

    static long sizeInfo(cl_device_id device, int param) {
        long[] v = new long[1];
        CL.clGetDeviceInfo(device, param, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }
}
