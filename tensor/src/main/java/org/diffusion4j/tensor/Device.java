package org.diffusion4j.tensor;

/**
 * Names a place where tensors live: the pure-Java CPU backend, or device {@code index} of an
 * OpenCL backend (numbered across all platforms, in the order {@code ./d4j info} lists them).
 */
public record Device(String kind, int index) {
    public static final Device CPU = new Device("cpu", 0);

    public Device {
        if (kind == null || kind.isBlank()) throw new IllegalArgumentException("device kind must not be empty");
        if (index < 0) throw new IllegalArgumentException("device index must be >= 0, got " + index);
    }

    /** Parses {@code cpu}, {@code opencl} (index 0 meaning "default GPU" is resolved by the registry) or {@code opencl:N}. */
    public static Device parse(String spec) {
        String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
        int colon = s.indexOf(':');
        if (colon < 0) return new Device(s, 0);
        try {
            return new Device(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad device '" + spec + "': expected cpu, opencl or opencl:N");
        }
    }

    @Override public String toString() { return kind.equals("cpu") ? "cpu" : kind + ":" + index; }
}
