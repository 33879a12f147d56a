package org.diffusion4j.kernels.runtime;

/**
 * Tile parameters of the tensor-core GEMM core (gemm_mma.cl): a work-group of warpsM x warpsN warps, each
 * warp mt x nt mma tiles of 16 x 8, so a (warpsM*mt*16) x (warpsN*nt*8) tile of C per work-group; K in
 * steps of 16 through two local-memory buffers.
 */
public record MmaConfig(int warpsM, int warpsN, int mt, int nt) {

    /** System property that overrides the table for tuning: "warpsM,warpsN,mt,nt", e.g. "2,4,4,4". */
    public static final String OVERRIDE_PROPERTY = "d4j.mma.config";

    /** K per local-memory tile (fixed in the kernel). */
    public static final int TK = 16;

    public MmaConfig {
        if (warpsM < 1 || warpsN < 1 || mt < 1 || nt < 1) {
            throw new IllegalArgumentException("mma config " + warpsM + "," + warpsN + "," + mt + "," + nt + ": every value must be >= 1");
        }
        int threads = warpsM * warpsN * 32, tileM = warpsM * mt * 16, tileN = warpsN * nt * 8;
        if ((tileM * TK) % threads != 0 || (tileN * TK) % threads != 0) {
            throw new IllegalArgumentException("mma config " + warpsM + "," + warpsN + "," + mt + "," + nt + ": the " + threads
                    + " items must split the A tile (" + tileM + "x" + TK + ") and the B tile (" + TK + "x" + tileN + ") evenly");
        }
    }

    public int threads() { return warpsM * warpsN * 32; }

    public int tileM() { return warpsM * mt * 16; }

    public int tileN() { return warpsN * nt * 8; }

    /** Two buffers of the padded A and B tiles (4-byte words), as gemm_mma.cl declares them. */
    public long localBytes() { return 2L * 4 * (tileM() * (TK + 4L) + TK * (tileN() + 8L)); }

    public String options() { return "-DWARPS_M=" + warpsM + " -DWARPS_N=" + warpsN + " -DMT=" + mt + " -DNT=" + nt; }

    public static MmaConfig parse(String s) {
        String[] p = s.trim().split(",");
        if (p.length != 4) throw new IllegalArgumentException(OVERRIDE_PROPERTY + "='" + s + "': expected warpsM,warpsN,mt,nt");
        return new MmaConfig(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), Integer.parseInt(p[2].trim()), Integer.parseInt(p[3].trim()));
    }

    /**
     * The table: 8 warps (2 x 4), each 64 x 32 of C (4 x 4 mma tiles), a 128 x 128 tile per work-group, on
     * every tensor-core device so far (one entry, an H200). Checked against local memory and the
     * work-group limit.
     */
    public static MmaConfig forDevice(ClDeviceInfo device) {
        String override = System.getProperty(OVERRIDE_PROPERTY);
        MmaConfig c = override != null && !override.isBlank() ? parse(override) : new MmaConfig(2, 4, 4, 4);
        if (c.localBytes() > device.localMemoryBytes() || c.threads() > device.maxWorkGroupSize()) {
            throw new IllegalArgumentException("mma config " + c.options() + " needs " + c.localBytes() + " bytes of local memory and "
                    + c.threads() + " items; " + device.name().trim() + " has " + device.localMemoryBytes() + " bytes and at most "
                    + device.maxWorkGroupSize() + " items");
        }
        return c;
    }
}
