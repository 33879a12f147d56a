package org.diffusion4j.experiments.cli;

import org.diffusion4j.tensor.BackendProvider;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the user asked for: a device spec ({@code cpu}, {@code opencl}, {@code opencl:N}) and where it
 * came from ({@code --device} or {@code D4J_DEVICE}), or nothing, meaning the automatic choice.
 *
 * @param spec   the normalised spec (lower case, trimmed), or null for the automatic choice
 * @param source where the spec came from, for messages; "default" for the automatic choice
 */
public record DeviceRequest(String spec, String source) {

    private static final Pattern SYNTAX = Pattern.compile("[a-z][a-z0-9_]*(:[0-9]+)?");

    public static DeviceRequest automatic() { return new DeviceRequest(null, "default"); }

    public boolean isAutomatic() { return spec == null; }

    /** The kind part of the spec ("cpu", "opencl"). */
    public String kind() {
        if (spec == null) throw new IllegalStateException("the automatic choice has no kind");
        int colon = spec.indexOf(':');
        return colon < 0 ? spec : spec.substring(0, colon);
    }

    /** The explicit index of {@code kind:N}, or -1 when the spec names the kind only. */
    public int index() {
        if (spec == null) throw new IllegalStateException("the automatic choice has no index");
        int colon = spec.indexOf(':');
        if (colon < 0) return -1;
        try {
            return Integer.parseInt(spec.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("device index '" + spec.substring(colon + 1) + "' in '" + spec + "' from " + source
                    + ": expected a device number as listed by 'd4j info'");
        }
    }

    /**
     * Checks the syntax of a spec and that its kind is one that can exist here: cpu, opencl, or the kind
     * of a provider on the class path. Whether the device itself exists is {@link DeviceChoice}'s question.
     *
     * @throws IllegalArgumentException naming the bad value and what was expected
     */
    public static DeviceRequest parse(String value, String source, List<BackendProvider> providers) {
        Set<String> kinds = new LinkedHashSet<>(List.of("cpu", "opencl"));
        for (BackendProvider p : providers) kinds.add(p.kind());
        String expected = "expected " + String.join(", ", kinds.stream().map(k -> k.equals("cpu") ? k : k + " or " + k + ":N").toList());
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("empty device from " + source + ": " + expected);
        }
        String spec = value.trim().toLowerCase(Locale.ROOT);
        if (!SYNTAX.matcher(spec).matches()) {
            throw new IllegalArgumentException("bad device '" + value + "' from " + source + ": " + expected);
        }
        DeviceRequest request = new DeviceRequest(spec, source);
        if (!kinds.contains(request.kind())) {
            throw new IllegalArgumentException("unknown device kind '" + request.kind() + "' in '" + value
                    + "' from " + source + ": " + expected);
        }
        if (request.kind().equals("cpu") && request.index() > 0) {
            throw new IllegalArgumentException("bad device '" + value + "' from " + source
                    + ": there is one CPU device, cpu (or cpu:0)");
        }
        return request;
    }
}
