package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DeviceSelection;

/**
 * Which backend a run uses: {@code --device} (or D4J_DEVICE) when given, else the config's device when it is
 * not "auto", else the automatic choice. Never falls back to another device.
 */
final class RunDevice {
    private RunDevice() { }

    static Backend open(Main d4j, TrainConfig config) {
        DeviceRequest request = d4j.deviceRequest();
        if (request.isAutomatic() && !config.device().equals("auto")) {
            Backend backend = Backends.open(Backends.resolve(DeviceSelection.parse(config.device(), "the config's device",
                    Backends.providers())));
            d4j.applyPrecision(backend, config.precision());
            Backends.setDefault(backend);
            return backend;
        }
        return d4j.backend(config.precision());
    }

    /** The precision as the command line (--precision, D4J_PRECISION) overrides the config's, or null. */
    static String precisionOverride(Main d4j) {
        Main.PrecisionRequest p = d4j.precisionRequest();
        return p == null ? null : p.precision().label();
    }

    /** The config's device as the command line overrides it: --set device=... for the resolved config. */
    static String override(Main d4j) {
        DeviceRequest request = d4j.deviceRequest();
        return request.isAutomatic() || request.source().equals(Main.DEVICE_ENV) ? null : request.spec();
    }
}
