// Shared definitions of every diffusion4j OpenCL program. The host selects the element type with
// -DUSE_F64 (double, needs cl_khr_fp64) or -DUSE_F32 (float).
#ifdef USE_F64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double real;
typedef double4 real4;
#define REAL_MAX DBL_MAX
#else
typedef float real;
typedef float4 real4;
#define REAL_MAX FLT_MAX
#endif

#define MAX_RANK 8


// The sigmoid as 1 / (1 + e^-x); the exp overflows to +inf for very negative x and gives 0 as it should.
inline real sigmoid_r(real x) { return (real) 1 / ((real) 1 + exp(-x)); }

// NaN-propagating max and min (as Java's Math.max and Math.min; fmax would drop the NaN).
inline real max_nan(real a, real b) { return (isnan(a) || isnan(b)) ? (real) NAN : (a > b ? a : b); }
inline real min_nan(real a, real b) { return (isnan(a) || isnan(b)) ? (real) NAN : (a < b ? a : b); }
