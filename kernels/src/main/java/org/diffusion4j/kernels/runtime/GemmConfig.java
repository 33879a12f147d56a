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
        String vendor = device.vendor().toLowerCase(Locale.ROOT);
        GemmConfig c;
        if (device.isGpu() && vendor.contains("nvidia")) {
            // 16x16 items, 8x8 register tile: a 128x128 C tile; F64 halves the register block.
            c = dtype == DType.F32 ? new GemmConfig(16, 16, 8, 8, 16) : new GemmConfig(16, 16, 4, 4, 16);
        } else if (device.isGpu() && (vendor.contains("advanced micro") || vendor.contains("amd"))) {
            c = dtype == DType.F32 ? new GemmConfig(16, 16, 4, 4, 16) : new GemmConfig(16, 16, 4, 4, 8);
        } else if (device.isGpu()) {
            c = new GemmConfig(16, 16, 4, 4, 16);
        } else if (device.type().equals("CPU")) {
            // PoCL and other CPU drivers: few items, a compact tile that stays in cache.
            c = new GemmConfig(8, 8, 4, 4, 16);
        } else {
            c = new GemmConfig(8, 8, 2, 2, 8);
        }
        GemmConfig fallback = new GemmConfig(8, 8, 2, 2, 8);
        if (c.localBytes(dtype) > device.localMemoryBytes() || (long) c.wgM * c.wgN > device.maxWorkGroupSize()) c = fallback;
        return c;
    }
}
