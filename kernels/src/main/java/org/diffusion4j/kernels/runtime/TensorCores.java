package org.diffusion4j.kernels.runtime;

import java.util.Locale;

/**
 * Whether a device can run the tensor-core GEMM (gemm_mma.cl): an NVIDIA GPU whose OpenCL driver reports
 * its compute capability (extension cl_nv_device_attribute_query) as 8.0 or newer, the first with TF32
 * {@code mma.sync}. The kernel is inline PTX, so no other vendor's compiler could build it.
 */
public final class TensorCores {
    private TensorCores() { }

    /** cl_nv_device_attribute_query's CL_DEVICE_COMPUTE_CAPABILITY_MAJOR_NV and _MINOR_NV. */
    private static final int CC_MAJOR_NV = 0x4000, CC_MINOR_NV = 0x4001;

    /** The first compute capability with TF32 mma.sync (Ampere, sm_80). */
    public static final int MIN_MAJOR = 8;

    /** Null when the device has TF32 tensor cores; otherwise why not, in a few words. */
    public static String unavailableReason(ClDeviceInfo d) {
        if (!d.isGpu()) return "a " + d.type() + " device, not an NVIDIA GPU";
        if (!d.vendor().toLowerCase(Locale.ROOT).contains("nvidia")) return "vendor " + d.vendor().trim() + ", not NVIDIA (the kernel is inline PTX)";
        String extensions = ClDeviceInfo.stringInfo(d.device(), org.jocl.CL.CL_DEVICE_EXTENSIONS);
        if (!extensions.contains("cl_nv_device_attribute_query")) return "the driver does not report a compute capability";
        int major = ClDeviceInfo.intInfo(d.device(), CC_MAJOR_NV), minor = ClDeviceInfo.intInfo(d.device(), CC_MINOR_NV);
        if (major < MIN_MAJOR) return "compute capability " + major + "." + minor + "; TF32 mma.sync needs " + MIN_MAJOR + ".0";
        return null;
    }
}
