package org.diffusion4j.nn;

import org.diffusion4j.autograd.OpenClDevice;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The joined parameters equal concat(0, parts) after every change of a part; on OpenCL (writes counted) the joined
 * tensor is kept while nothing changes, on the CPU (writes not counted) it is joined on every call.
 */
class ConcatenatedParametersTest {

    private static void check(Backend b, boolean kept) {
        Parameter a = new Parameter("a", Tensor.of(b, DType.F32, new double[]{1, 2, 3, 4, 5, 6}, 2, 3));
        Parameter c = new Parameter("c", Tensor.of(b, DType.F32, new double[]{7, 8, 9}, 1, 3));
        ConcatenatedParameters joined = new ConcatenatedParameters(List.of(a, c));
        Tensor first = joined.get();
        assertArrayEquals(new int[]{3, 3}, first.shape());
        assertArrayEquals(new double[]{1, 2, 3, 4, 5, 6, 7, 8, 9}, first.toDoubleArray(), b.device().toString());
        Tensor second = joined.get();
        assertEquals(kept, first == second, b.device() + ": kept while unchanged");
        c.update(Tensor.of(b, DType.F32, new double[]{-1, -2, -3}, 1, 3));           // in place, as an optimiser step
        assertArrayEquals(new double[]{1, 2, 3, 4, 5, 6, -1, -2, -3}, joined.get().toDoubleArray(), b.device() + " after update");
        a.assign(Tensor.of(b, DType.F32, new double[]{0, 0, 0, 0, 0, 1}, 2, 3));      // a new storage, as loading weights
        assertArrayEquals(new double[]{0, 0, 0, 0, 0, 1, -1, -2, -3}, joined.get().toDoubleArray(), b.device() + " after assign");
        joined.release();
    }

    @Test void cpuJoinsEveryTime() { check(Backends.cpu(), false); }

    @Test void openClKeepsTheJoinedTensorPerVersion() { check(OpenClDevice.backend(), true); }

    @Test void needsParameters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ConcatenatedParameters(List.of()));
        assertTrue(e.getMessage().contains("no parameters"), e.getMessage());
    }
}
