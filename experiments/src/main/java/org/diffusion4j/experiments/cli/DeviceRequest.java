package org.diffusion4j.experiments.cli;

import org.diffusion4j.tensor.BackendProvider;
import org.diffusion4j.tensor.DeviceSelection;

import java.util.List;

/**
 * What the user asked for: a device spec ({@code cpu}, {@code opencl}, {@code opencl:N}) and where it came from
 * ({@code --device} or {@code D4J_DEVICE}), or nothing, meaning the automatic choice. The grammar is
 * {@link DeviceSelection}'s; this is the command line's view of its request.
 *
 * @param spec   the normalised spec (lower case, trimmed), or null for the automatic choice
 * @param source where the spec came from, for messages; "default" for the automatic choice
 */
public record DeviceRequest(String spec, String source) {

    public static DeviceRequest automatic() { return of(DeviceSelection.Request.automatic()); }

    static DeviceRequest of(DeviceSelection.Request r) { return new DeviceRequest(r.spec(), r.source()); }

    /** The same request as the device rules take it. */
    public DeviceSelection.Request toSelection() { return new DeviceSelection.Request(spec, source); }

    public boolean isAutomatic() { return spec == null; }

    /** The kind part of the spec ("cpu", "opencl"). */
    public String kind() { return toSelection().kind(); }

    /** The explicit index of {@code kind:N}, or -1 when the spec names the kind only. */
    public int index() { return toSelection().index(); }

    /**
     * Checks the syntax of a spec and that its kind is one that can exist here ({@link DeviceSelection#parse}).
     *
     * @throws IllegalArgumentException naming the bad value and what was expected
     */
    public static DeviceRequest parse(String value, String source, List<BackendProvider> providers) {
        return of(DeviceSelection.parse(value, source, providers));
    }
}
