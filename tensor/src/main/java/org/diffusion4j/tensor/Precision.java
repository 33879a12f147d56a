package org.diffusion4j.tensor;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a backend computes the products of matmul and the GEMM-based convolutions in F32 (PyTorch's
 * {@code allow_tf32}, but explicit and with a third choice). F64 work is always computed in F64.
 *
 * <ul>
 *   <li>{@link #STRICT} ({@code strict}): FP32 fused multiply-adds; the default and the reference.</li>
 *   <li>{@link #TF32} ({@code tf32}): each input rounded to TF32 (10 mantissa bits, as PTX
 *       {@code cvt.rna.tf32.f32} does), products on tensor cores, FP32 accumulation. Relative error per
 *       product about 2^-11.</li>
 *   <li>{@link #TF32X3} ({@code 3xtf32}): each input split into a TF32 high part and a TF32 remainder,
 *       a = hi(a) + lo(a); the sum hi*lo + lo*hi + hi*hi (three tensor-core products, the lo*lo term
 *       dropped) in FP32: FP32-level accuracy on tensor cores (the method CUTLASS documents).</li>
 * </ul>
 *
 * A backend that cannot honour a policy refuses it ({@link Backend#setPrecision}); it never falls back.
 */
public enum Precision {
    STRICT("strict"), TF32("tf32"), TF32X3("3xtf32");

    /** The environment variable the command line reads when no {@code --precision} is given. */
    public static final String ENV = "D4J_PRECISION";

    private final String label;

    Precision(String label) { this.label = label; }

    /** The name used on the command line, in configs and in benchmark rows: strict, tf32, 3xtf32. */
    public String label() { return label; }

    @Override public String toString() { return label; }

    /** Whether this policy runs on tensor cores (tf32, 3xtf32). */
    public boolean usesTensorCores() { return this != STRICT; }

    /**
     * Parses a policy name, case-insensitively.
     *
     * @throws IllegalArgumentException naming the bad value and the valid names
     */
    public static Precision parse(String name) {
        if (name != null) {
            String s = name.trim().toLowerCase(Locale.ROOT);
            for (Precision p : values()) if (p.label.equals(s)) return p;
        }
        throw new IllegalArgumentException("unknown precision '" + name + "': expected one of " + names());
    }

    /** "strict, tf32, 3xtf32". */
    public static String names() { return Arrays.stream(values()).map(Precision::label).collect(Collectors.joining(", ")); }

    /** The message of a refused policy: names the device, the policy and the policies it supports. */
    public static String refusal(String device, Precision asked, Set<Precision> supported, String why) {
        String list = supported.stream().sorted().map(Precision::label).collect(Collectors.joining(", "));
        return "precision " + asked.label + " is not available on " + device + ": it supports " + list
                + (why == null || why.isBlank() ? "" : " (" + why + ")");
    }
}
