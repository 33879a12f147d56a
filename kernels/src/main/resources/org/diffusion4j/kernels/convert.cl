// Strided copy with dtype conversion: SRC_T and DST_T are float or double (set by the host).
#if defined(SRC_F64) || defined(DST_F64)
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif
#ifdef SRC_F64
typedef double src_t;
#else
typedef float src_t;
#endif
#ifdef DST_F64
typedef double dst_t;
#else
typedef float dst_t;
#endif

__kernel void convert_strided(__global const src_t* x, int xOff, __global dst_t* out, int outOff, int n, int rank,
                              int8 shape_v, int8 sx_v, int8 so_v) {
    int i = get_global_id(0);
    if (i >= n) return;
    int shape[8], sx[8], so[8];
    vstore8(shape_v, 0, shape); vstore8(sx_v, 0, sx); vstore8(so_v, 0, so);
    out[outOff + strided_offset(i, rank, shape, so)] = (dst_t) x[xOff + strided_offset(i, rank, shape, sx)];
}
