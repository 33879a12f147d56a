package org.diffusion4j.experiments.cli;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.BackendProvider;

import java.util.List;

/** A provider with a fixed device list, standing in for the OpenCL one in tests; it opens nothing. */
record FakeProvider(String kind, List<DeviceInfo> devices, int defaultDevice, String unavailableReason)
        implements BackendProvider {

    static final long GIB = 1L << 30;

    static DeviceInfo gpu(int index, String name) {
        return new DeviceInfo(index, "NVIDIA CUDA", name, "GPU", 80 * GIB, 132, true, "OpenCL 3.0 CUDA");
    }

    static DeviceInfo cpu(int index, String name) {
        return new DeviceInfo(index, "Portable Computing Language", name, "CPU", 6 * GIB + GIB / 2, 2, true,
                "OpenCL 3.0 PoCL");
    }

    /** An OpenCL provider whose driver is missing. */
    static FakeProvider noDriver() {
        return new FakeProvider("opencl", List.of(), -1, "libOpenCL.so could not be loaded");
    }

    @Override public Backend open(int index) {
        throw new UnsupportedOperationException("FakeProvider opens no backend (asked for index " + index + ")");
    }
}
