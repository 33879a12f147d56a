package org.diffusion4j.experiments.cli;

import org.diffusion4j.tensor.BackendProvider;
import org.diffusion4j.tensor.BackendProvider.DeviceInfo;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.Device;

import java.util.List;

/**
 * Which device a request resolves to, and why, decided from the providers' device lists without opening
 * anything (so that {@code d4j info} can say it on any machine). The rules are those of
 * {@link Backends#select} and {@link Backends#automatic}: an explicit spec wins; {@code opencl} without
 * an index means the provider's default device; with no spec, the first GPU of any provider, else the CPU.
 *
 * @param device the device that would be opened
 * @param reason why, in words, for {@code d4j info}
 */
public record DeviceChoice(Device device, String reason) {

    /**
     * @throws IllegalArgumentException when the request names a kind without a provider or a device that
     *                                  does not exist
     * @throws IllegalStateException    when the kind's provider has no device to offer
     */
    public static DeviceChoice resolve(DeviceRequest request, List<BackendProvider> providers) {
        return request.isAutomatic() ? automatic(providers) : explicit(request, providers);
    }

    private static DeviceChoice automatic(List<BackendProvider> providers) {
        String rule = "no --device or " + Main.DEVICE_ENV + " given; the default is the first GPU, else the CPU";
        int devices = 0;
        for (BackendProvider p : providers) {
            for (DeviceInfo info : p.devices()) {
                if (info.type().equalsIgnoreCase("GPU")) {
                    return new DeviceChoice(new Device(p.kind(), info.index()),
                            rule + "; this is the first GPU (" + info.name() + ")");
                }
                devices++;
            }
        }
        String found = devices == 0 ? "no other device was found"
                : devices + " other device" + (devices == 1 ? " was" : "s were") + " found, none of them a GPU"
                + " (choose one with --device)";
        return new DeviceChoice(Device.CPU, rule + "; " + found);
    }

    private static DeviceChoice explicit(DeviceRequest request, List<BackendProvider> providers) {
        String asked = "asked for with " + request.source();
        if (request.kind().equals("cpu")) return new DeviceChoice(Device.CPU, asked);
        BackendProvider provider = providers.stream().filter(p -> p.kind().equals(request.kind())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("device '" + request.spec() + "' from "
                        + request.source() + ": no " + request.kind() + " provider is on the class path"));
        List<DeviceInfo> devices = provider.devices();
        if (devices.isEmpty()) {
            String why = provider.unavailableReason();
            throw new IllegalStateException("device '" + request.spec() + "' from " + request.source() + ": no "
                    + request.kind() + " device found" + (why == null ? "" : " (" + why + ")"));
        }
        if (request.index() < 0) {
            int index = provider.defaultDevice();
            if (index < 0) {
                throw new IllegalStateException("device '" + request.spec() + "' from " + request.source()
                        + ": the " + request.kind() + " provider has no default device (no GPU); name one of "
                        + list(request.kind(), devices));
            }
            return new DeviceChoice(new Device(request.kind(), index), asked + "; the " + request.kind()
                    + " provider's default device (" + nameOf(devices, index) + ")");
        }
        for (DeviceInfo info : devices) {
            if (info.index() == request.index()) {
                return new DeviceChoice(new Device(request.kind(), request.index()), asked + " (" + info.name() + ")");
            }
        }
        throw new IllegalArgumentException("device '" + request.spec() + "' from " + request.source()
                + " does not exist; the " + request.kind() + " devices are " + list(request.kind(), devices));
    }

    /** "opencl:0 (name), opencl:1 (name) (see d4j info)". */
    private static String list(String kind, List<DeviceInfo> devices) {
        return String.join(", ", devices.stream().map(d -> kind + ":" + d.index() + " (" + d.name() + ")").toList())
                + " (see d4j info)";
    }

    private static String nameOf(List<DeviceInfo> devices, int index) {
        for (DeviceInfo info : devices) if (info.index() == index) return info.name();
        return "index " + index + ", not in the provider's list";
    }
}
