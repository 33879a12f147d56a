package org.diffusion4j.tensor;

/**
 * Derives Philox keys from a run's seed and names, so that each consumer of randomness (a dropout layer, the
 * data order of a training step, the noise of an objective) gets its own independent key that is a pure
 * function of (seed, name, counters): nothing depends on the order in which consumers draw.
 */
public final class SeedMixing {
    private SeedMixing() { }

    /** SplitMix64's finaliser (Steele, Lea and Flood 2014): a bijective 64-bit mixer. */
    public static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** FNV-1a over the UTF-16 code units of s: a stable 64-bit hash of a name. */
    public static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** mix(...mix(mix(seed) ^ hash(name)) ^ counters[0]...) ^ counters[last]): the key of one named consumer. */
    public static long key(long seed, String name, long... counters) {
        long h = mix(mix(seed) ^ hash(name));
        for (long c : counters) h = mix(h ^ c);
        return h;
    }
}
