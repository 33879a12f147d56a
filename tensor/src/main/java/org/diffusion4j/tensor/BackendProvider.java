package org.diffusion4j.tensor;

import java.util.List;

/**
 * Found through {@link java.util.ServiceLoader}: a family of devices (such as OpenCL) that can open
 * backends. The tensor module never loads a native library itself; the kernels module provides one.
 */
public interface BackendProvider {

    /** The device kind this provider serves, e.g. "opencl". */
    String kind();

    /** Every device this provider can drive, described for {@code ./d4j info}; empty when no driver is found. */
    List<DeviceInfo> devices();

    /** Index of the device to use when the user asks for this kind without an index, or -1 when none suits. */
    int defaultDevice();

    /** Opens the backend for device {@code index}; throws with a clear message when impossible. */
    Backend open(int index);

    /** Why {@link #devices()} is empty (e.g. "no OpenCL driver found: libOpenCL.so could not be loaded"), or null. */
    String unavailableReason();

    /** One device as listed by a provider. */
    record DeviceInfo(int index, String platform, String name, String type, long globalMemoryBytes,
                      int computeUnits, boolean fp64, String version) { }
}
