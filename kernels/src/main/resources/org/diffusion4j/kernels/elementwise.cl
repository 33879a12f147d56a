// Elementwise maps over strided operands. The host collapses axes that are contiguous in every operand,
// passes the (at most 8) remaining extents and each operand's strides as int8 arguments, and picks the
// *_contig variant when everything is one contiguous run. Op codes (U_*, B_*) are #defined by the host
// from the Java enums UnaryOp and BinaryOp.

inline real unary_op(int op, real x, real a, real b) {
    switch (op) {
        case U_COPY: return x;
        case U_NEG: return -x;
        case U_ABS: return fabs(x);
        case U_SQUARE: return x * x;
        case U_SQRT: return sqrt(x);
        case U_RSQRT: return (real) 1 / sqrt(x);
        case U_RECIPROCAL: return (real) 1 / x;
        case U_EXP: return exp(x);
        case U_LOG: return log(x);
        case U_SIN: return sin(x);
        case U_COS: return cos(x);
        case U_TANH: return tanh(x);
        case U_SIGMOID: return sigmoid_r(x);
        case U_SILU: return x * sigmoid_r(x);
        // GELU, exact form: x * Phi(x) = x/2 (1 + erf(x / sqrt 2)).
        case U_GELU: return (real) 0.5 * x * ((real) 1 + erf(x * (real) M_SQRT1_2));
        case U_RELU: return x > 0 ? x : (isnan(x) ? x : (real) 0);
        case U_AFFINE: return a * x + b;
        case U_POW: return pow(x, a);
        case U_CLAMP: return x < a ? a : (x > b ? b : x);
        case U_SIGN: return x > 0 ? (real) 1 : (x < 0 ? (real) -1 : (isnan(x) ? x : (real) 0));
        default: return (real) NAN;
    }
}

inline real binary_op(int op, real x, real y) {
    switch (op) {
        case B_ADD: return x + y;
        case B_SUB: return x - y;
        case B_MUL: return x * y;
        case B_DIV: return x / y;
        case B_POW: return pow(x, y);
        case B_MAX: return max_nan(x, y);
        case B_MIN: return min_nan(x, y);
        case B_EQ: return x == y ? (real) 1 : (real) 0;
        case B_NE: return x != y ? (real) 1 : (real) 0;
        case B_LT: return x < y ? (real) 1 : (real) 0;
        case B_LE: return x <= y ? (real) 1 : (real) 0;
        case B_GT: return x > y ? (real) 1 : (real) 0;
        case B_GE: return x >= y ? (real) 1 : (real) 0;
        default: return (real) NAN;
    }
}

#define UNPACK(name) int name[8]; vstore8(name##_v, 0, name);

__kernel void fill_strided(__global real* out, int outOff, int n, int rank, int8 shape_v, int8 so_v, real value) {
    int i = get_global_id(0);
    if (i >= n) return;
    UNPACK(shape) UNPACK(so)
    out[outOff + strided_offset(i, rank, shape, so)] = value;
}

__kernel void unary_contig(__global const real* x, int xOff, __global real* out, int outOff, int n, int op, real a, real b) {
    int i = get_global_id(0);
    if (i < n) out[outOff + i] = unary_op(op, x[xOff + i], a, b);
}

__kernel void unary_strided(__global const real* x, int xOff, __global real* out, int outOff, int n, int rank,
                            int8 shape_v, int8 sx_v, int8 so_v, int op, real a, real b) {
    int i = get_global_id(0);
    if (i >= n) return;
    UNPACK(shape) UNPACK(sx) UNPACK(so)
    out[outOff + strided_offset(i, rank, shape, so)] = unary_op(op, x[xOff + strided_offset(i, rank, shape, sx)], a, b);
}

__kernel void binary_contig(__global const real* x, int xOff, __global const real* y, int yOff,
                            __global real* out, int outOff, int n, int op) {
    int i = get_global_id(0);
    if (i < n) out[outOff + i] = binary_op(op, x[xOff + i], y[yOff + i]);
}

__kernel void binary_strided(__global const real* x, int xOff, __global const real* y, int yOff,
                             __global real* out, int outOff, int n, int rank,
                             int8 shape_v, int8 sx_v, int8 sy_v, int8 so_v, int op) {
    int i = get_global_id(0);
    if (i >= n) return;
    UNPACK(shape) UNPACK(sx) UNPACK(sy) UNPACK(so)
    out[outOff + strided_offset(i, rank, shape, so)] = binary_op(op, x[xOff + strided_offset(i, rank, shape, sx)],
                                                                  y[yOff + strided_offset(i, rank, shape, sy)]);
}

__kernel void where_strided(__global const real* c, int cOff, __global const real* x, int xOff,
                            __global const real* y, int yOff, __global real* out, int outOff, int n, int rank,
                            int8 shape_v, int8 sc_v, int8 sx_v, int8 sy_v, int8 so_v) {
    int i = get_global_id(0);
    if (i >= n) return;
    UNPACK(shape) UNPACK(sc) UNPACK(sx) UNPACK(sy) UNPACK(so)
    real cond = c[cOff + strided_offset(i, rank, shape, sc)];
    out[outOff + strided_offset(i, rank, shape, so)] = cond != 0 ? x[xOff + strided_offset(i, rank, shape, sx)]
                                                                 : y[yOff + strided_offset(i, rank, shape, sy)];
}

// out = alpha x + beta y (+ gamma z when hasZ): one pass, the update of every sampler step.
__kernel void lincomb_contig(real alpha, __global const real* x, int xOff, real beta, __global const real* y, int yOff,
                             real gamma, __global const real* z, int zOff, int hasZ, __global real* out, int outOff, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    real v = alpha * x[xOff + i] + beta * y[yOff + i];
    if (hasZ) v += gamma * z[zOff + i];
    out[outOff + i] = v;
}

// One Adam step of one parameter in place (Backend#adamStep): g' = g + l2 p, m = b1 m + (1 - b1) g',
// v = b2 v + (1 - b2) g'^2, p = shrink p - stepSize m / (sqrt(v) invSqrtC2 + eps). One launch per parameter instead
// of the eight or so a composition of primitives takes.
__kernel void adam_step(__global real* p, int pOff, __global const real* g, int gOff, __global real* m, int mOff,
                        __global real* v, int vOff, real l2, real beta1, real beta2, real stepSize, real invSqrtC2,
                        real eps, real shrink, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    real pi = p[pOff + i];
    real gi = g[gOff + i] + l2 * pi;
    real mi = beta1 * m[mOff + i] + (1 - beta1) * gi;
    real vi = beta2 * v[vOff + i] + (1 - beta2) * gi * gi;
    m[mOff + i] = mi;
    v[vOff + i] = vi;
    p[pOff + i] = shrink * pi - stepSize * mi / (sqrt(vi) * invSqrtC2 + eps);
}

__kernel void lincomb_strided(real alpha, __global const real* x, int xOff, real beta, __global const real* y, int yOff,
                              real gamma, __global const real* z, int zOff, int hasZ, __global real* out, int outOff,
                              int n, int rank, int8 shape_v, int8 sx_v, int8 sy_v, int8 sz_v, int8 so_v) {
    int i = get_global_id(0);
    if (i >= n) return;
    UNPACK(shape) UNPACK(sx) UNPACK(sy) UNPACK(sz) UNPACK(so)
    real v = alpha * x[xOff + strided_offset(i, rank, shape, sx)] + beta * y[yOff + strided_offset(i, rank, shape, sy)];
    if (hasZ) v += gamma * z[zOff + strided_offset(i, rank, shape, sz)];
    out[outOff + strided_offset(i, rank, shape, so)] = v;
}
