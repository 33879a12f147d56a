package org.diffusion4j.tensor;

import org.diffusion4j.tensor.cpu.CpuBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds and opens backends. The CPU backend is always present; others (OpenCL) come from
 * {@link BackendProvider}s on the class path.
 *
 * <p>Device choice, in order: an explicit spec ({@code --device cpu|opencl|opencl:N}), the environment
 * variable {@code D4J_DEVICE}, then the default: the first GPU of any provider, else the CPU. The grammar and the
 * rules live in {@link DeviceSelection}; {@link #resolve} explains a choice, {@link #open} opens it.
 */
public final class Backends {
    private static final Map<Device, Backend> OPEN = new ConcurrentHashMap<>();
    private static volatile List<BackendProvider> providers;
    private static volatile Backend defaultBackend;

    private Backends() { }

    /** The pure-Java CPU backend. */
    public static Backend cpu() { return CpuBackend.instance(); }

    /** Every provider found through ServiceLoader (loaded once). */
    public static List<BackendProvider> providers() {
        List<BackendProvider> p = providers;
        if (p == null) {
            synchronized (Backends.class) {
                if (providers == null) {
                    List<BackendProvider> found = new ArrayList<>();
                    ServiceLoader.load(BackendProvider.class).forEach(found::add);
                    providers = List.copyOf(found);
                }
                p = providers;
            }
        }
        return p;
    }

    /** The provider of a device kind, or null. */
    public static BackendProvider provider(String kind) {
        for (BackendProvider p : providers()) if (p.kind().equals(kind)) return p;
        return null;
    }

    /**
     * Opens (once, then cached) the backend named by spec: {@code cpu}, {@code opencl} (its provider's default device)
     * or {@code opencl:N}. A null or blank spec means D4J_DEVICE, then the automatic choice. The rules are
     * {@link DeviceSelection}'s, the same that {@link #resolve} explains.
     */
    public static Backend select(String spec) {
        boolean blank = spec == null || spec.isBlank();
        DeviceSelection.Request request = DeviceSelection.request(blank ? null : spec, "device spec", System.getenv(), providers());
        return open(resolve(request));
    }

    /** The device a request resolves to, with the reason, without opening it (see {@link DeviceSelection}). */
    public static DeviceSelection.Choice resolve(DeviceSelection.Request request) {
        return DeviceSelection.resolve(request, providers());
    }

    /** Opens (once, then cached) the chosen device. */
    public static Backend open(DeviceSelection.Choice choice) {
        Device d = choice.device();
        if (d.kind().equals("cpu")) return cpu();
        BackendProvider p = provider(d.kind());
        if (p == null) throw new IllegalArgumentException("device '" + d + "': no backend of kind '" + d.kind()
                + "' is on the class path (known: cpu" + kinds() + ")");
        return open(p, d.index());
    }

    private static Backend open(BackendProvider p, int index) {
        return OPEN.computeIfAbsent(new Device(p.kind(), index), dev -> p.open(index));
    }

    /** The first GPU that any provider offers, else the CPU backend. */
    public static Backend automatic() { return open(resolve(DeviceSelection.Request.automatic())); }

    private static String kinds() {
        StringBuilder sb = new StringBuilder();
        for (BackendProvider p : providers()) sb.append(", ").append(p.kind());
        return sb.toString();
    }

    /** The backend that factory methods without an explicit backend use; the CPU unless set. */
    public static Backend defaultBackend() {
        Backend b = defaultBackend;
        return b == null ? cpu() : b;
    }

    public static void setDefault(Backend backend) { defaultBackend = backend; }
}
