// Shared by every program with strided operands; Programs puts it first in each source.
// Offset of linear element i (row-major over shape) in an operand with the given strides.
// shape and strides arrive as int8 kernel arguments; rank <= 8 after the host collapsed contiguous axes.
inline int strided_offset(int i, int rank, const int* shape, const int* strides) {
    int off = 0;
    for (int d = rank - 1; d >= 0; d--) {
        int extent = shape[d];
        off += (i % extent) * strides[d];
        i /= extent;
    }
    return off;
}
