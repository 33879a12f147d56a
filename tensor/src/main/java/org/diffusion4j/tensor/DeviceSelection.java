package org.diffusion4j.tensor;

import org.diffusion4j.tensor.BackendProvider.DeviceInfo;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The device rules, in one place (reached through {@link Backends}): the grammar of a device spec, where a request
 * comes from, and how it resolves to one device with the reason, without opening anything (so that {@code d4j info}
 * can say it on any machine).
 * <ul>
 *   <li>grammar: {@code cpu} (or {@code cpu:0}), {@code KIND} (the provider's default device) or {@code KIND:N}, KIND
 *       being {@code opencl} or the kind of a provider on the class path;</li>
 *   <li>precedence: an explicit spec (e.g. {@code --device}), else the environment variable {@value #DEVICE_ENV},
 *       else the automatic choice;</li>
 *   <li>the automatic choice: the first GPU of any provider, else the CPU. An explicit spec never falls back to
 *       another device.</li>
 * </ul>
 */
public final class DeviceSelection {
    private DeviceSelection() { }

    /** The environment variable read when no explicit spec is given. */
    public static final String DEVICE_ENV = "D4J_DEVICE";

    private static final Pattern SYNTAX = Pattern.compile("[a-z][a-z0-9_]*(:[0-9]+)?");

    /**
     * What was asked for: a normalised spec (lower case, trimmed) and where it came from, for messages; a null spec
     * (source "default") is the automatic choice.
     */
    public record Request(String spec, String source) {
        public static Request automatic() { return new Request(null, "default"); }

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
                throw new IllegalArgumentException("device index '" + spec.substring(colon + 1) + "' in '" + spec + "' from "
                        + source + ": expected a device number as listed by 'd4j info'");
            }
        }
    }

    /** The device a request resolves to, and why, in words. */
    public record Choice(Device device, String reason) { }

    /** Whether a spec is well formed (its kind is not checked against the providers). */
    public static boolean wellFormed(String spec) {
        return spec != null && SYNTAX.matcher(spec.trim().toLowerCase(Locale.ROOT)).matches();
    }

    /**
     * Checks the syntax of a spec and that its kind can exist here (cpu, opencl, or a provider's kind); whether
     * the device itself exists is {@link #resolve}'s question.
     *
     * @throws IllegalArgumentException naming the bad value, its source and what was expected
     */
    public static Request parse(String value, String source, List<BackendProvider> providers) {
        Set<String> kinds = new LinkedHashSet<>(List.of("cpu", "opencl"));
        for (BackendProvider p : providers) kinds.add(p.kind());
        String expected = "expected " + String.join(", ", kinds.stream().map(k -> k.equals("cpu") ? k : k + " or " + k + ":N").toList());
        if (value == null || value.isBlank()) throw new IllegalArgumentException("empty device from " + source + ": " + expected);
        String spec = value.trim().toLowerCase(Locale.ROOT);
        if (!SYNTAX.matcher(spec).matches()) throw new IllegalArgumentException("bad device '" + value + "' from " + source + ": " + expected);
        Request request = new Request(spec, source);
        if (!kinds.contains(request.kind())) throw new IllegalArgumentException("unknown device kind '" + request.kind() + "' in '"
                + value + "' from " + source + ": " + expected);
        if (request.kind().equals("cpu") && request.index() > 0) throw new IllegalArgumentException("bad device '" + value
                + "' from " + source + ": there is one CPU device, cpu (or cpu:0)");
        return request;
    }

    /**
     * The request of a command line: the explicit spec (from optionSource) when given, else the environment's
     * {@value #DEVICE_ENV}, else the automatic choice.
     */
    public static Request request(String explicit, String optionSource, Map<String, String> environment, List<BackendProvider> providers) {
        if (explicit != null) return parse(explicit, optionSource, providers);
        String fromEnvironment = environment.get(DEVICE_ENV);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) return parse(fromEnvironment, DEVICE_ENV, providers);
        return Request.automatic();
    }

    /**
     * @throws IllegalArgumentException when the request names a kind without a provider or a device that does not exist
     * @throws IllegalStateException    when the kind's provider has no device to offer
     */
    public static Choice resolve(Request request, List<BackendProvider> providers) {
        return request.isAutomatic() ? automatic(providers) : explicit(request, providers);
    }

    private static Choice automatic(List<BackendProvider> providers) {
        String rule = "no --device or " + DEVICE_ENV + " given; the default is the first GPU, else the CPU";
        int devices = 0;
        for (BackendProvider p : providers) {
            for (DeviceInfo info : p.devices()) {
                if (info.type().equalsIgnoreCase("GPU")) {
                    return new Choice(new Device(p.kind(), info.index()), rule + "; this is the first GPU (" + info.name() + ")");
                }
                devices++;
            }
        }
        String found = devices == 0 ? "no other device was found"
                : devices + " other device" + (devices == 1 ? " was" : "s were") + " found, none of them a GPU"
                + " (choose one with --device)";
        return new Choice(Device.CPU, rule + "; " + found);
    }

    private static Choice explicit(Request request, List<BackendProvider> providers) {
        String asked = "asked for with " + request.source();
        if (request.kind().equals("cpu")) return new Choice(Device.CPU, asked);
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
            return new Choice(new Device(request.kind(), index), asked + "; the " + request.kind()
                    + " provider's default device (" + nameOf(devices, index) + ")");
        }
        for (DeviceInfo info : devices) {
            if (info.index() == request.index()) return new Choice(new Device(request.kind(), request.index()), asked + " (" + info.name() + ")");
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
