package org.diffusion4j.tensor;

import org.diffusion4j.tensor.Reference.Nd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.diffusion4j.tensor.Reference.*;
import static org.junit.jupiter.api.Assertions.*;

/** Views (reshape, permute, narrow, slice, expand, squeeze, unsqueeze), contiguous, concat, stack, indexSelect, indexAdd. */
class ViewIndexingTest {

    @ParameterizedTest
    @EnumSource(DType.class)
    void viewsAddressTheRightElements(DType t) {
        Tensor x = Reference.random(t, 1, 3, 4, 5);
        Nd n = Nd.of(x);
        // permute
        Tensor p = x.permute(2, 0, 1);
        assertFalse(p.isContiguous());
        assertSame(x.storage(), p.storage());
        Nd pn = Nd.of(p);
        for (int a = 0; a < 3; a++) for (int b = 0; b < 4; b++) for (int c = 0; c < 5; c++) assertEquals(n.get(a, b, c), pn.get(c, a, b));
        // narrow and slice with a step
        Nd nn = Nd.of(x.narrow(1, 1, 2));
        Nd sn = Nd.of(x.slice(2, 1, 5, 3));
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 4; b++)
                for (int c = 0; c < 5; c++) {
                    if (b >= 1 && b < 3) assertEquals(n.get(a, b, c), nn.get(a, b - 1, c));
                    if (c == 1 || c == 4) assertEquals(n.get(a, b, c), sn.get(a, b, (c - 1) / 3));
                }
        assertArrayEquals(new int[]{3, 4, 2}, x.slice(2, 1, 5, 3).shape());
        // select, expand, squeeze, unsqueeze
        Nd sel = Nd.of(x.select(1, 2));
        for (int a = 0; a < 3; a++) for (int c = 0; c < 5; c++) assertEquals(n.get(a, 2, c), sel.get(a, c));
        Tensor row = x.narrow(0, 1, 1);                         // [1, 4, 5]
        Tensor ex = row.expand(2, 3, 4, 5);
        assertEquals(0, ex.strides()[0]);
        Nd en = Nd.of(ex);
        for (int z = 0; z < 2; z++) for (int a = 0; a < 3; a++) assertEquals(n.get(1, 3, 4), en.get(z, a, 3, 4));
        assertArrayEquals(new int[]{4, 5}, row.squeeze().shape());
        assertArrayEquals(new int[]{4, 5}, row.squeeze(0).shape());
        assertArrayEquals(new int[]{1, 4, 1, 5}, row.squeeze(0).unsqueeze(0).unsqueeze(-2).shape());
        assertThrows(IllegalArgumentException.class, () -> x.squeeze(1));
        assertThrows(IllegalArgumentException.class, () -> x.expand(3, 5, 5));
        // reshape of a contiguous tensor is a view; of a permuted one a copy
        Tensor r = x.reshape(12, -1);
        assertSame(x.storage(), r.storage());
        assertArrayEquals(x.toDoubleArray(), r.toDoubleArray());
        Tensor pr = p.reshape(-1);
        assertNotSame(x.storage(), pr.storage());
        assertArrayEquals(p.contiguous().toDoubleArray(), pr.toDoubleArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.reshape(7, -1));
        assertTrue(e.getMessage().contains("reshape"), e.getMessage());
        // contiguous() of a strided view equals reading it element by element
        Tensor c = p.contiguous();
        assertTrue(c.isContiguous());
        assertArrayEquals(pn.data(), c.toDoubleArray());
        assertSame(x, x.contiguous());
        // transpose twice is the identity
        assertArrayEquals(x.toDoubleArray(), x.transpose(0, 2).transpose(2, 0).toDoubleArray());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void concatAndStack(DType t) {
        Tensor a = Reference.random(t, 2, 2, 3), b = Reference.random(t, 3, 3, 3).transpose(0, 1).narrow(0, 0, 2);  // [2, 3] strided
        Tensor c = Reference.random(t, 4, 2, 1);
        Nd an = Nd.of(a), bn = Nd.of(b), cn = Nd.of(c);
        Nd cat = Nd.of(Tensor.concat(1, a, b, c));
        assertArrayEquals(new int[]{2, 7}, cat.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(an.get(i, j), cat.get(i, j));
                assertEquals(bn.get(i, j), cat.get(i, 3 + j));
            }
            assertEquals(cn.get(i, 0), cat.get(i, 6));
        }
        Nd cat0 = Nd.of(Tensor.concat(0, a, b));
        for (int j = 0; j < 3; j++) assertEquals(bn.get(1, j), cat0.get(3, j));
        Nd st = Nd.of(Tensor.stack(1, a, b));
        assertArrayEquals(new int[]{2, 2, 3}, st.shape());
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) {
            assertEquals(an.get(i, j), st.get(i, 0, j));
            assertEquals(bn.get(i, j), st.get(i, 1, j));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.concat(0, a, c));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[2, 1]"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void indexSelectAndIndexAddAreAdjoint(DType t) {
        Tensor x = Reference.random(t, 5, 4, 17, 3).permute(1, 0, 2);     // [17, 4, 3] strided
        Nd xn = Nd.of(x);
        int[] idx = {16, 0, 3, 3, 9};
        for (int axis = 0; axis < 3; axis++) {
            int[] ix = axis == 0 ? idx : new int[]{2, 0, 2};
            Tensor sel = x.indexSelect(axis, ix);
            Nd sn = Nd.of(sel);
            for (int q = 0; q < sn.numel(); q++) {
                int[] i = sn.unravel(q);
                int[] src = i.clone();
                src[axis] = ix[i[axis]];
                assertEquals(xn.get(src), sn.data()[q], "indexSelect axis " + axis);
            }
            // indexAdd: out = 0, then repeated indices accumulate
            Tensor g = Reference.random(t, 6 + axis, sel.shape());
            Nd gn = Nd.of(g);
            Nd expected = Nd.zeros(x.shape());
            for (int q = 0; q < gn.numel(); q++) {
                int[] i = gn.unravel(q);
                int[] dst = i.clone();
                dst[axis] = ix[i[axis]];
                expected.data()[expected.index(dst)] += gn.data()[q];
            }
            assertClose("indexAdd axis " + axis, expected.data(), Tensor.indexAdd(g.permute(0, 1, 2), axis, ix, x.shape()), tol(t));
            assertClose("indexAdd of a strided source, axis " + axis, expected.data(),
                    Tensor.indexAdd(g.transpose(0, 2).contiguous().transpose(0, 2), axis, ix, x.shape()), tol(t));
        }
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> x.indexSelect(1, 4));
        assertTrue(e.getMessage().contains("4"), e.getMessage());
    }
}
