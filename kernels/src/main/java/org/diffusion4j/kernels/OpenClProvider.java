package org.diffusion4j.kernels;

import org.diffusion4j.kernels.runtime.ClDeviceInfo;
import org.diffusion4j.kernels.runtime.ClPlatforms;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.BackendProvider;

import java.util.ArrayList;
import java.util.List;

/**
 * The "opencl" device kind, found through ServiceLoader. Devices are numbered across all platforms in the
 * ICD loader's order ({@code opencl:N}).
 *
 * <p>Default device: the first GPU of any platform (PoCL is often listed before an NVIDIA GPU, so "the
 * first platform" would be wrong). Decision for machines with only CPU OpenCL devices (PoCL): there is no
 * default ({@link #defaultDevice()} is -1 and {@code Backends.select("opencl")} fails with a message that
 * lists the devices); a CPU OpenCL device must be asked for by index, {@code opencl:N}. Running "GPU"
 * code on a CPU driver by surprise would mislead every timing, so it is never chosen silently.
 */
public final class OpenClProvider implements BackendProvider {

    @Override public String kind() { return "opencl"; }

    @Override public List<DeviceInfo> devices() {
        List<DeviceInfo> out = new ArrayList<>();
        for (ClDeviceInfo d : ClPlatforms.enumerate().devices()) {
            out.add(new DeviceInfo(d.index(), d.platformName().trim(), d.name().trim(), d.type(), d.globalMemoryBytes(),
                    d.computeUnits(), d.fp64(), d.version().trim()));
        }
        return out;
    }

    @Override public int defaultDevice() {
        for (ClDeviceInfo d : ClPlatforms.enumerate().devices()) if (d.isGpu()) return d.index();
        return -1;
    }

    @Override public Backend open(int index) {
        List<ClDeviceInfo> all = ClPlatforms.enumerate().devices();
        if (index < 0 || index >= all.size()) {
            String why = unavailableReason();
            throw new IllegalArgumentException("opencl:" + index + " does not exist: " + all.size() + " OpenCL device(s) found"
                    + (why == null ? "" : " (" + why + ")") + listing(all));
        }
        return new OpenClBackend(all.get(index));
    }

    @Override public String unavailableReason() {
        ClPlatforms.Result r = ClPlatforms.enumerate();
        if (r.unavailableReason() != null) return r.unavailableReason();
        if (defaultDevice() < 0) {
            return "no OpenCL GPU; CPU OpenCL devices are not chosen by default, name one explicitly:" + listing(r.devices());
        }
        return null;
    }

    private static String listing(List<ClDeviceInfo> all) {
        StringBuilder sb = new StringBuilder();
        for (ClDeviceInfo d : all) sb.append(" opencl:").append(d.index()).append(" = ").append(d.describe()).append(';');
        return sb.toString();
    }
}
