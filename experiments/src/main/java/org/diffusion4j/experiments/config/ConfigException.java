package org.diffusion4j.experiments.config;

/**
 * A configuration that cannot start a run. The message names the key (dotted, e.g. {@code optimizer.lr}),
 * the value found there and what is allowed.
 */
public final class ConfigException extends IllegalArgumentException {
    private final String key;

    public ConfigException(String key, Object value, String allowed) {
        super("config key '" + key + "': " + describe(value) + "; allowed: " + allowed);
        this.key = key;
    }

    /** For faults that are not about one value (an unreadable file, a bad override syntax). */
    public ConfigException(String key, String message) {
        super("config key '" + key + "': " + message);
        this.key = key;
    }

    /** The dotted key the fault is about. */
    public String key() { return key; }

    private static String describe(Object value) {
        if (value == null) return "no value";
        if (value instanceof String s) return "value '" + s + "'";
        return "value " + value;
    }
}
