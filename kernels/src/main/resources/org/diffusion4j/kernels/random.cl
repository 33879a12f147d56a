// Philox4x32-10 (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC'11) and
// diffusion4j's mapping of draws onto it, bit for bit the one documented in org.diffusion4j.tensor.Philox:
// element c of stream s is word c % 4 of the block with counter (c/4 low, c/4 high, s low, s high) under
// key (seed low, seed high). HAS_FP64 is set when the device has cl_khr_fp64: normals are then computed
// in double exactly as on the CPU; without it they are computed in float (a documented, looser agreement).
#if defined(USE_F64) || defined(HAS_FP64)
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif
#ifdef USE_F64
typedef double real;
#else
typedef float real;
#endif

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

inline uint4 philox4x32_10(uint4 c, uint2 k) {
    for (int round = 0; round < 10; round++) {
        if (round > 0) { k.x += PHILOX_W0; k.y += PHILOX_W1; }
        uint hi0 = mul_hi(PHILOX_M0, c.x), lo0 = PHILOX_M0 * c.x;
        uint hi1 = mul_hi(PHILOX_M1, c.z), lo1 = PHILOX_M1 * c.z;
        c = (uint4)(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
    }
    return c;
}

inline uint word_of(uint4 w, int j) { return j == 0 ? w.x : (j == 1 ? w.y : (j == 2 ? w.z : w.w)); }

// kind: 0 uniform, 1 normal, 2 Rademacher (host passes RandomKind's codes).
__kernel void philox_fill(__global real* out, int outOff, long n, int kind, uint seedLo, uint seedHi,
                          long firstStream, long rowLength) {
    long e = get_global_id(0);
    if (e >= n) return;
    long r = e / rowLength, c = e % rowLength;
    ulong stream = (ulong) (firstStream + r), block = (ulong) c >> 2;
    int j = (int) (c & 3);
    uint4 w = philox4x32_10((uint4)((uint) block, (uint) (block >> 32), (uint) stream, (uint) (stream >> 32)),
                            (uint2)(seedLo, seedHi));
    real v;
    if (kind == RK_UNIFORM) {
#ifdef USE_F64
        v = ((double) word_of(w, j) + 0.5) * 0x1p-32;
#else
        v = ((float) (word_of(w, j) >> 9) + 0.5f) * 0x1p-23f;   // exact: at most 24 significant bits
#endif
    } else if (kind == RK_RADEMACHER) {
        v = (word_of(w, j) >> 31) ? (real) 1 : (real) -1;
    } else {
        // Box-Muller on the pair (words 0,1) or (2,3): z = sqrt(-2 ln u1) * (cos or sin)(2 pi u2).
        int pair = j & 2;
#ifdef HAS_FP64
        double u1 = ((double) word_of(w, pair) + 0.5) * 0x1p-32;
        double u2 = ((double) word_of(w, pair + 1) + 0.5) * 0x1p-32;
        double rad = sqrt(-2.0 * log(u1));
        double theta = 2.0 * M_PI * u2;
        v = (real) ((j & 1) == 0 ? rad * cos(theta) : rad * sin(theta));
#else
        float u1 = ((float) word_of(w, pair) + 0.5f) * 0x1p-32f;
        float u2 = ((float) word_of(w, pair + 1) + 0.5f) * 0x1p-32f;
        float rad = sqrt(-2.0f * log(u1));
        float theta = 2.0f * M_PI_F * u2;
        v = (j & 1) == 0 ? rad * cos(theta) : rad * sin(theta);
#endif
    }
    out[outOff + e] = v;
}
