package org.diffusion4j.kernels.runtime;

import org.diffusion4j.tensor.DType;

import java.util.Locale;

/**
 * Tile parameters of the register-blocked GEMM core (gemm_core.cl), shared by matmul and the three
 * implicit-GEMM convolutions. A work-group of wgN x wgM items computes a (wgM*wptM) x (wgN*wptN) tile of C;
 * each item keeps a wptM x wptN block of accumulators in registers; the K dimension advances tk at a
 * time through tiles of A and B staged in local memory.
 *
 * <p>Chosen per device from a small table keyed by vendor and device type (CLBlast's approach, without
 * the auto-tuner), with a conservative fallback. The local-memory footprint is checked against the device.
 */
public record GemmConfig(int wgM, int wgN, int wptM, int wptN, int tk) {

    /** System property that overrides the table for tuning: "wgM,wgN,wptM,wptN,tk", e.g. "16,16,8,8,16". */
    public static final String OVERRIDE_PROPERTY = "d4j.gemm.config";

    public GemmConfig {
        int threads = wgM * wgN;
        if (wgM < 1 || wgN < 1 || wptM < 1 || wptN < 1 || tk < 1 || (wgM * wptM * tk) % threads != 0 || (wgN * wptN * tk) % threads != 0) {
            throw new IllegalArgumentException("GEMM config " + wgM + "," + wgN + "," + wptM + "," + wptN + "," + tk
                    + ": the " + threads + " items must split the A tile (" + wgM * wptM + "x" + tk + ") and the B tile ("
                    + tk + "x" + wgN * wptN + ") evenly");
        }
    }

    /** Parses "wgM,wgN,wptM,wptN,tk". */
    public static GemmConfig parse(String s) {
        String[] p = s.trim().split(",");
        if (p.length != 5) throw new IllegalArgumentException(OVERRIDE_PROPERTY + "='" + s + "': expected wgM,wgN,wptM,wptN,tk");
        return new GemmConfig(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), Integer.parseInt(p[2].trim()),
                Integer.parseInt(p[3].trim()), Integer.parseInt(p[4].trim()));
    }

    public int tileM() { return wgM * wptM; }

    public int tileN() { return wgN * wptN; }

    /** Bytes of local memory the two staged tiles take for a dtype (with one element of padding per row). */
    public long localBytes(DType dtype) { return (long) tk * (tileM() + 1 + tileN() + 1) * dtype.bytes(); }

    /** Build options that instantiate the core with these parameters. */
    public String options() {
        return "-DWG_M=" + wgM + " -DWG_N=" + wgN + " -DWPT_M=" + wptM + " -DWPT_N=" + wptN + " -DTK=" + tk;
    }

    /** The table. */
    public static GemmConfig forDevice(ClDeviceInfo device, DType dtype) {
        String override = System.getProperty(OVERRIDE_PROPERTY);
        if (override != null && !override.isBlank()) {
            GemmConfig c = parse(override);
            if (c.localBytes(dtype) > device.localMemoryBytes() || (long) c.wgM * c.wgN > device.maxWorkGroupSize()) {
                throw new IllegalArgumentException(OVERRIDE_PROPERTY + "=" + override + " needs " + c.localBytes(dtype)
                        + " bytes of local memory and " + c.wgM * c.wgN + " items; " + device.name().trim() + " has "
                        + device.localMemoryBytes() + " bytes and at most " + device.maxWorkGroupSize() + " items");
            }
            return c;
        }
        String vendor = device.vendor().toLowerCase(Locale.ROOT);
        GemmConfig c;
        if (device.isGpu() && vendor.contains("nvidia")) {
            // 16x16 items, 8x8 register tile: a 128x128 C tile, K in steps of 8. Measured on an H200 (OpenCL 3.0
            // CUDA, 2026-11-21) against 128x128/16, 64x64/16, 128x64/16, 64x128/16 and 128x64 with 16x8 items:
            // best for GEMM 4096 (30 TFLOP/s) and the 3x3 convolution forward. F64 halves the register block.
            c = dtype == DType.F32 ? new GemmConfig(16, 16, 8, 8, 8) : new GemmConfig(16, 16, 4, 4, 16);
        } else if (device.isGpu() && (vendor.contains("advanced micro") || vendor.contains("amd"))) {
            c = dtype == DType.F32 ? new GemmConfig(16, 16, 4, 4, 16) : new GemmConfig(16, 16, 4, 4, 8);
        } else if (device.isGpu()) {
            c = new GemmConfig(16, 16, 4, 4, 16);
        } else if (device.type().equals("CPU")) {
            // PoCL and other CPU drivers: few items, a compact tile that stays in cache.
            c = new GemmConfig(8, 8, 4, 4, 8);
        } else {
            c = new GemmConfig(8, 8, 2, 2, 8);
        }
        GemmConfig fallback = new GemmConfig(8, 8, 2, 2, 8);
        if (c.localBytes(dtype) > device.localMemoryBytes() || (long) c.wgM * c.wgN > device.maxWorkGroupSize()) c = fallback;
        return c;
    }
}
