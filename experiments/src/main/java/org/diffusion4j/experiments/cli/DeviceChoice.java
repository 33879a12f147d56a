package org.diffusion4j.experiments.cli;

import org.diffusion4j.tensor.BackendProvider;
import org.diffusion4j.tensor.Device;
import org.diffusion4j.tensor.DeviceSelection;

import java.util.List;

/**
 * Which device a request resolves to, and why, decided by {@link DeviceSelection#resolve} from the providers'
 * device lists without opening anything (so that {@code d4j info} can say it on any machine); {@link Main#backend}
 * opens the same choice.
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
        DeviceSelection.Choice c = DeviceSelection.resolve(request.toSelection(), providers);
        return new DeviceChoice(c.device(), c.reason());
    }
}
