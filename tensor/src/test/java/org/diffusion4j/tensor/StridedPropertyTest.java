package org.diffusion4j.tensor;

import net.jqwik.api.*;
import org.diffusion4j.tensor.Reference.Nd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.diffusion4j.tensor.Reference.*;

/**
 * Property tests for the strided machinery: random shapes, random permutations, stepped slices and
 * broadcast operands, checked element by element against the float64 reference.
 */
class StridedPropertyTest {

    /** A tensor of the given shape whose storage layout is scrambled: a permuted, sliced view of a bigger tensor. */
    private static Tensor scrambled(int[] shape, long seed) {
        Random r = new Random(seed);
        int rank = shape.length;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rank; i++) order.add(i);
        Collections.shuffle(order, r);
        // base[perm^-1(shape) with one axis doubled], then permute back and take every other element on that axis
        int stepped = rank == 0 ? -1 : r.nextInt(rank);
        int[] baseShape = new int[rank];
        for (int i = 0; i < rank; i++) baseShape[i] = shape[order.get(i)] * (order.get(i) == stepped ? 2 : 1);
        Tensor base = Reference.random(DType.F64, seed, baseShape);
        int[] inverse = new int[rank];
        for (int i = 0; i < rank; i++) inverse[order.get(i)] = i;
        Tensor t = base.permute(inverse);
        if (stepped >= 0) t = t.slice(stepped, 1, 2 * shape[stepped], 2);
        return t;
    }

    @Provide
    Arbitrary<int[]> shapes() {
        return Arbitraries.of(1, 2, 3, 5).array(int[].class).ofMinSize(0).ofMaxSize(4);
    }

    @Property(tries = 150)
    void broadcastAddOfScrambledViews(@ForAll("shapes") int[] shape, @ForAll long seed, @ForAll("masks") int broadcastMask) {
        int[] small = shape.clone();
        for (int i = 0; i < small.length; i++) if ((broadcastMask >> i & 1) == 1) small[i] = 1;
        Tensor x = scrambled(shape, seed), y = scrambled(small, seed + 1);
        Nd a = Nd.of(x), b = Nd.of(y);
        Tensor z = x.mul(y).add(x);
        Nd e = Nd.zeros(shape);
        for (int i = 0; i < e.numel(); i++) {
            int[] idx = e.unravel(i);
            e.data()[i] = a.data()[i] * b.getBroadcast(idx) + a.data()[i];
        }
        assertClose("x * y + x for " + Shapes.str(shape) + " and " + Shapes.str(small), e.data(), z, 0);
    }

    @Provide
    Arbitrary<Integer> masks() { return Arbitraries.integers().between(0, 15); }

    @Property(tries = 150)
    void sumOverRandomAxesOfScrambledViews(@ForAll("shapes") int[] shape, @ForAll long seed, @ForAll("masks") int axesMask) {
        Tensor x = scrambled(shape, seed);
        Nd a = Nd.of(x);
        List<Integer> axes = new ArrayList<>();
        int[] ks = shape.clone();
        for (int i = 0; i < shape.length; i++) if ((axesMask >> i & 1) == 1) { axes.add(i); ks[i] = 1; }
        Nd e = Nd.zeros(ks);
        for (int i = 0; i < a.numel(); i++) {
            int[] idx = a.unravel(i);
            for (int ax : axes) idx[ax] = 0;
            e.data()[e.index(idx)] += a.data()[i];
        }
        int[] axesArray = axes.stream().mapToInt(Integer::intValue).toArray();
        if (axesArray.length == 0) axesArray = new int[0];
        Tensor s = axes.isEmpty() ? x.sum(true, allAxes(shape.length)) : x.sum(true, axesArray);
        if (axes.isEmpty()) e = new Nd(new double[]{java.util.Arrays.stream(a.data()).sum()}, new int[0]);
        assertClose("sum over " + axes + " of " + Shapes.str(shape), e.data(), s, 1e-14);
        assertClose("contiguous copy of " + Shapes.str(shape), a.data(), x.contiguous(), 0);
    }

    private static int[] allAxes(int rank) {
        int[] r = new int[rank];
        for (int i = 0; i < rank; i++) r[i] = i;
        return r;
    }
}
