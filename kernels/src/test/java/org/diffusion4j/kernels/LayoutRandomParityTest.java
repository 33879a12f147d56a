package org.diffusion4j.kernels;

import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Philox;
import org.diffusion4j.tensor.RandomKind;
import org.junit.jupiter.api.Test;

import static org.diffusion4j.kernels.Parity.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pooling, upsampling, gather / scatter-add and the Philox fills. */
class LayoutRandomParityTest {

    @Test void poolingAndUpsampling() {
        for (DType t : dtypes()) {
            for (int k : new int[]{1, 2, 3}) {
                Pair x = random(t, 600 + k, 2, 3, 6 * k / 2 * 2, 3 * k);
                int[] s = x.cpu().shape();
                Pair y = poisoned(t, s[0], s[1], s[2] / k, s[3] / k);
                CPU.avgPool2d(x.cpu().view(), y.cpu().view(), k);
                cl().avgPool2d(x.cl().view(), y.cl().view(), k);
                assertClose("avgPool2d k=" + k + " " + t, y, tol(t));
                Pair gx = poisoned(t, s);
                CPU.avgPool2dBackward(y.cpu().view(), gx.cpu().view(), k);
                cl().avgPool2dBackward(y.cl().view(), gx.cl().view(), k);
                assertClose("avgPool2dBackward k=" + k + " " + t, gx, tol(t));

                Pair u = poisoned(t, s[0], s[1], s[2] * k, s[3] * k);
                CPU.upsampleNearest2d(x.cpu().view(), u.cpu().view(), k);
                cl().upsampleNearest2d(x.cl().view(), u.cl().view(), k);
                assertClose("upsample f=" + k + " " + t, u, 0);
                Pair gu = poisoned(t, s);
                CPU.upsampleNearest2dBackward(u.cpu().view(), gu.cpu().view(), k);
                cl().upsampleNearest2dBackward(u.cl().view(), gu.cl().view(), k);
                assertClose("upsampleBackward f=" + k + " " + t, gu, tol(t));
            }
        }
    }

    @Test void indexSelectAndIndexAdd() {
        for (DType t : dtypes()) {
            Pair x = random(t, 700, 5, 17, 3).map(v -> v.transpose(0, 2));  // [3, 17, 5], strided
            int[] idx = {4, 0, 16, 4, 4, 9, 1};
            for (int axis : new int[]{0, 1, 2}) {
                int[] sel = java.util.Arrays.stream(idx).map(i -> i % x.cpu().shape()[axis]).toArray();
                int[] s = x.cpu().shape();
                s[axis] = sel.length;
                Pair out = poisoned(t, s);
                CPU.indexSelect(x.cpu().view(), axis, sel, out.cpu().view());
                cl().indexSelect(x.cl().view(), axis, sel, out.cl().view());
                assertClose("indexSelect axis " + axis + " " + t, out, 0);

                Pair src = random(t, 701 + axis, s);
                Pair acc = poisoned(t, x.cpu().shape());
                CPU.indexAdd(src.cpu().view(), axis, sel, acc.cpu().view());
                cl().indexAdd(src.cl().view(), axis, sel, acc.cl().view());
                assertClose("indexAdd axis " + axis + " " + t, acc, tol(t));
            }
        }
    }

    /**
     * Uniform and Rademacher draws must equal the CPU's bit for bit, and so must F32 normals; F64 normals
     * within 1e-15 relative (the device's double log/cos/sin may differ from Java's in the last ulp).
     */
    @Test void philoxFillsMatchTheCpuMapping() {
        long seed = 0x1234_5678_9abcL ^ (1L << 40);
        for (DType t : dtypes()) {
            for (RandomKind kind : RandomKind.values()) {
                for (long rowLength : new long[]{1, 3, 17, 33}) {
                    int rows = 5;
                    Pair out = poisoned(t, rows, (int) rowLength);
                    CPU.random(kind, out.cpu().view(), seed, 7, rowLength);
                    cl().random(kind, out.cl().view(), seed, 7, rowLength);
                    if (kind == RandomKind.NORMAL) assertClose("normal " + t, out, t == DType.F32 ? 0 : 1e-15);
                    else assertBitwise(kind + " " + t + " row " + rowLength, out.cpu(), out.cl());
                    // and the mapping itself, element by element, from the documented definition
                    double[] got = out.cl().toDoubleArray();
                    for (int e = 0; e < got.length; e++) {
                        double want = Philox.element(kind, t, seed, 7 + e / rowLength, e % rowLength);
                        if (kind != RandomKind.NORMAL) assertEquals(want, got[e], 0.0, kind + " element " + e);
                        else assertEquals(want, got[e], (t == DType.F32 ? 0 : 1e-15) * (1 + Math.abs(want)), "normal element " + e);
                    }
                }
            }
        }
    }

    /**
     * F32 normals are bitwise equal to the CPU's (the double Box-Muller result rounds to the same float).
     * F64 normals keep the last bits of the device's double log/cos/sin, which OpenCL allows to differ from
     * Java's by a few ulp: the documented tolerance is 4 ulp, and the test counts and prints the mismatches.
     */
    @Test void normalsOnALargeDraw() {
        for (DType t : dtypes()) {
            Pair out = poisoned(t, 4, 4096);
            CPU.random(RandomKind.NORMAL, out.cpu().view(), 42, 0, 4096);
            cl().random(RandomKind.NORMAL, out.cl().view(), 42, 0, 4096);
            if (t == DType.F32) {
                assertBitwise("normal F32, 16384 draws", out.cpu(), out.cl());
                continue;
            }
            double[] e = out.cpu().toDoubleArray(), a = out.cl().toDoubleArray();
            int differ = 0;
            for (int i = 0; i < e.length; i++) {
                if (e[i] != a[i]) differ++;
                assertEquals(e[i], a[i], 4 * Math.ulp(e[i]), "normal F64 element " + i);
            }
            System.out.println("Philox normals F64: " + differ + " of " + e.length + " differ from the CPU in the last bits (<= 4 ulp)");
        }
    }

    /**
     * The path of devices without cl_khr_fp64 (built here on purpose): uniform and Rademacher stay bitwise
     * equal; normals computed in float agree with the CPU's double Box-Muller to 1e-5 absolute (u is
     * rounded to float, so the float log, cos and sin see slightly different arguments).
     */
    @Test void withoutFp64NormalsAgreeToFloatAccuracy() {
        OpenClBackend b = cl();
        long seed = 987_654_321_123L;
        for (RandomKind kind : RandomKind.values()) {
            Pair out = poisoned(DType.F32, 6, 1000);
            CPU.random(kind, out.cpu().view(), seed, 3, 1000);
            org.diffusion4j.tensor.View v = out.cl().view();
            b.programs().random(DType.F32, false).args().mem(b.mem(v)).i(v.offset()).l(6000).i(kind.ordinal())
                    .i((int) seed).i((int) (seed >>> 32)).l(3).l(1000).run1d(6000, 256);
            if (kind == RandomKind.NORMAL) assertClose("normal without fp64", out.cpu(), out.cl(), 1e-5);
            else assertBitwise(kind + " without fp64", out.cpu(), out.cl());
        }
    }
}
