package org.diffusion4j.kernels;

import org.diffusion4j.kernels.runtime.ClKernel;
import org.diffusion4j.tensor.BinaryOp;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.UnaryOp;
import org.diffusion4j.tensor.View;

import java.util.Arrays;

/** Maps over strided operands (elementwise.cl, convert.cl): fast contiguous path, general strided path. */
final class ElementwiseOps {
    private static final int WG = 256;
    private final OpenClBackend b;

    ElementwiseOps(OpenClBackend b) { this.b = b; }

    private static void sameShape(String op, View out, View... in) {
        for (View v : in) {
            if (v != null && !Arrays.equals(v.shape(), out.shape())) throw new IllegalArgumentException("opencl " + op
                    + ": operand shape " + Shapes.str(v.shape()) + " differs from the output's " + Shapes.str(out.shape()));
        }
    }

    private static void sameDtype(String op, View out, View... in) {
        for (View v : in) {
            if (v != null && v.dtype() != out.dtype()) throw new IllegalArgumentException("opencl " + op + ": operand dtype "
                    + v.dtype() + " differs from the output's " + out.dtype());
        }
    }

    void copy(View src, View out) {
        sameShape("copy", out, src);
        int n = (int) out.numel();
        if (n == 0) return;
        StridedLayout l = StridedLayout.of("copy", out.shape(), src.strides(), out.strides());
        if (src.dtype() == out.dtype()) {
            unaryLaunch(UnaryOp.COPY, src, out, 0, 0, l, n);
            return;
        }
        b.programs().convert(src.dtype(), out.dtype()).args().mem(b.mem(src)).i(src.offset()).mem(b.mem(out)).i(out.offset())
                .i(n).i(l.rank()).int8(l.shape()).int8(l.strides()[0]).int8(l.strides()[1]).run1d(n, WG);
    }

    void fill(View out, double value) {
        int n = (int) out.numel();
        if (n == 0) return;
        StridedLayout l = StridedLayout.of("fill", out.shape(), out.strides());
        b.programs().elementwise(out.dtype(), "fill_strided").args().mem(b.mem(out)).i(out.offset()).i(n).i(l.rank())
                .int8(l.shape()).int8(l.strides()[0]).real(value).run1d(n, WG);
    }

    void unary(UnaryOp op, View x, View out, double a, double c) {
        sameShape(op.name().toLowerCase(), out, x);
        sameDtype(op.name().toLowerCase(), out, x);
        int n = (int) out.numel();
        if (n == 0) return;
        unaryLaunch(op, x, out, a, c, StridedLayout.of(op.name().toLowerCase(), out.shape(), x.strides(), out.strides()), n);
    }

    private void unaryLaunch(UnaryOp op, View x, View out, double a, double c, StridedLayout l, int n) {
        DType dt = out.dtype();
        if (l.contiguous()) {
            b.programs().elementwise(dt, "unary_contig").args().mem(b.mem(x)).i(x.offset()).mem(b.mem(out)).i(out.offset())
                    .i(n).i(op.ordinal()).real(a).real(c).run1d(n, WG);
        } else {
            b.programs().elementwise(dt, "unary_strided").args().mem(b.mem(x)).i(x.offset()).mem(b.mem(out)).i(out.offset())
                    .i(n).i(l.rank()).int8(l.shape()).int8(l.strides()[0]).int8(l.strides()[1]).i(op.ordinal()).real(a).real(c)
                    .run1d(n, WG);
        }
    }

    void binary(BinaryOp op, View x, View y, View out) {
        String name = op.name().toLowerCase();
        sameShape(name, out, x, y);
        sameDtype(name, out, x, y);
        int n = (int) out.numel();
        if (n == 0) return;
        StridedLayout l = StridedLayout.of(name, out.shape(), x.strides(), y.strides(), out.strides());
        ClKernel k;
        if (l.contiguous()) {
            k = b.programs().elementwise(out.dtype(), "binary_contig").args().mem(b.mem(x)).i(x.offset()).mem(b.mem(y)).i(y.offset())
                    .mem(b.mem(out)).i(out.offset()).i(n).i(op.ordinal());
        } else {
            k = b.programs().elementwise(out.dtype(), "binary_strided").args().mem(b.mem(x)).i(x.offset()).mem(b.mem(y)).i(y.offset())
                    .mem(b.mem(out)).i(out.offset()).i(n).i(l.rank()).int8(l.shape()).int8(l.strides()[0]).int8(l.strides()[1])
                    .int8(l.strides()[2]).i(op.ordinal());
        }
        k.run1d(n, WG);
    }

    void where(View cond, View x, View y, View out) {
        sameShape("where", out, cond, x, y);
        sameDtype("where", out, cond, x, y);
        int n = (int) out.numel();
        if (n == 0) return;
        StridedLayout l = StridedLayout.of("where", out.shape(), cond.strides(), x.strides(), y.strides(), out.strides());
        b.programs().elementwise(out.dtype(), "where_strided").args().mem(b.mem(cond)).i(cond.offset()).mem(b.mem(x)).i(x.offset())
                .mem(b.mem(y)).i(y.offset()).mem(b.mem(out)).i(out.offset()).i(n).i(l.rank()).int8(l.shape())
                .int8(l.strides()[0]).int8(l.strides()[1]).int8(l.strides()[2]).int8(l.strides()[3]).run1d(n, WG);
    }

    void linearCombination(double alpha, View x, double beta, View y, double gamma, View z, View out) {
        sameShape("linearCombination", out, x, y, z);
        sameDtype("linearCombination", out, x, y, z);
        int n = (int) out.numel();
        if (n == 0) return;
        View zz = z == null ? x : z;   // a placeholder buffer when z is absent (hasZ = 0 keeps it unread)
        StridedLayout l = StridedLayout.of("linearCombination", out.shape(), x.strides(), y.strides(), zz.strides(), out.strides());
        ClKernel k = b.programs().elementwise(out.dtype(), l.contiguous() ? "lincomb_contig" : "lincomb_strided").args()
                .real(alpha).mem(b.mem(x)).i(x.offset()).real(beta).mem(b.mem(y)).i(y.offset())
                .real(gamma).mem(b.mem(zz)).i(zz.offset()).i(z == null ? 0 : 1).mem(b.mem(out)).i(out.offset()).i(n);
        if (!l.contiguous()) {
            k.i(l.rank()).int8(l.shape()).int8(l.strides()[0]).int8(l.strides()[1]).int8(l.strides()[2]).int8(l.strides()[3]);
        }
        k.run1d(n, WG);
    }

    /**
     * Backend#adamStep in one pass when all four views are contiguous (parameters and their state always are);
     * false otherwise, and the caller composes it from primitives.
     */
    boolean adamStep(View p, View g, View m, View v, double l2, double beta1, double beta2, double stepSize,
                     double invSqrtC2, double eps, double shrink) {
        sameShape("adamStep", p, g, m, v);
        sameDtype("adamStep", p, g, m, v);
        if (!(p.isContiguous() && g.isContiguous() && m.isContiguous() && v.isContiguous())) return false;
        int n = (int) p.numel();
        if (n == 0) return true;
        b.programs().elementwise(p.dtype(), "adam_step").args()
                .mem(b.mem(p)).i(p.offset()).mem(b.mem(g)).i(g.offset()).mem(b.mem(m)).i(m.offset()).mem(b.mem(v)).i(v.offset())
                .real(l2).real(beta1).real(beta2).real(stepSize).real(invSqrtC2).real(eps).real(shrink).i(n).run1d(n, WG);
        return true;
    }
}
