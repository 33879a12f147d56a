package org.diffusion4j.nn;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ModuleTest {

    /** res block stand-in with two convs and a norm. */
    static final class Res extends Module {
        Res(int c) {
            register("norm", new GroupNorm(1, c));
            register("conv1", new Conv2d(c, c, 3, 1, 1));
            register("conv2", new Conv2d(c, c, 3, 1, 1));
        }
    }

    static final class Level extends Module {
        Level(int c) { register("res", new Res(c)); }
    }

    static final class Net extends Module {
        Net() {
            registerParameter("scale", Tensor.ones(Backends.cpu(), DType.F32, 1));
            register("down", new Sequential(new ModuleAdapter(new Level(2)), new ModuleAdapter(new Level(2))));
        }
    }

    /** Wraps a non-unary module so it can sit in a Sequential (identity forward). */
    static final class ModuleAdapter extends Module implements UnaryModule {
        ModuleAdapter(Module m) { register("inner", m); }

        @Override public Variable forward(Variable x) { return x; }
    }

    static final class Down extends Module {
        Down() {
            Module list = new Module() { };
            Module l0 = new Module() { };
            Module l1 = new Module() { };
            l0.register("res", new Res(2));
            l1.register("res", new Res(2));
            list.register("0", l0);
            list.register("1", l1);
            register("down", list);
        }
    }

    @Test void hierarchicalNamesInRegistrationOrder() {
        Down d = new Down();
        List<String> names = List.copyOf(d.namedParameters().keySet());
        assertEquals(List.of(
                "down.0.res.norm.weight", "down.0.res.norm.bias", "down.0.res.conv1.weight", "down.0.res.conv1.bias",
                "down.0.res.conv2.weight", "down.0.res.conv2.bias",
                "down.1.res.norm.weight", "down.1.res.norm.bias", "down.1.res.conv1.weight", "down.1.res.conv1.bias",
                "down.1.res.conv2.weight", "down.1.res.conv2.bias"), names);
        assertEquals(12, d.parameters().size());
        Net n = new Net();
        assertTrue(n.namedParameters().containsKey("down.1.inner.res.conv1.weight"));
        assertEquals("scale", n.namedParameters().keySet().iterator().next());
    }

    @Test void moduleListGivesIndexedNames() {
        Module root = new Module() { };
        ModuleList<Level> down = new ModuleList<>(new Level(2), new Level(2));
        root.register("down", down);
        assertTrue(root.namedParameters().containsKey("down.1.res.conv1.weight"));
        assertEquals(2, down.size());
        assertSame(down.get(1), root.namedModules().get("down.1"));
        assertThrows(IndexOutOfBoundsException.class, () -> down.get(2));
    }

    @Test void badNamesAndDuplicatesAreRejected() {
        Module m = new Module() { };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.register("a.b", new SiLU()));
        assertTrue(e.getMessage().contains("a.b"));
        m.register("a", new SiLU());
        assertThrows(IllegalArgumentException.class, () -> m.register("a", new SiLU()));
    }

    @Test void parameterCountsMatchTheFormulas() {
        assertEquals(7L * 5 + 5, new Linear(7, 5).parameterCount());
        assertEquals(7L * 5, new Linear(7, 5, false).parameterCount());
        assertEquals(3L * 17 * 3 * 3 + 17, new Conv2d(3, 17, 3, 1, 1).parameterCount());
        assertEquals(4L * 2 * 5 * 5, new Conv2d(4, 2, 5, 2, 2, 1, 1, false).parameterCount());
        assertEquals(6L / 2 * 4 * 1 * 1 + 4, new Conv2d(6, 4, 1, 1, 0, 1, 2, true).parameterCount());
        assertEquals(2L * 33, new GroupNorm(3, 33).parameterCount());
        int c = 64;
        assertEquals(2L * c + 4L * (c * c + c), new SelfAttention2d(c).parameterCount());
    }

    @Test void initialisationIsPyTorchsUniformBoundAndReproducible() {
        Linear a, b, c;
        try (Init init = Init.seeded(42)) { a = new Linear(50, 40); }
        try (Init init = Init.seeded(42)) { b = new Linear(50, 40); }
        try (Init init = Init.seeded(43)) { c = new Linear(50, 40); }
        double bound = 1 / Math.sqrt(50);
        double[] w = a.weight().value().toDoubleArray();
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE, mean = 0, sq = 0;
        for (double x : w) { min = Math.min(min, x); max = Math.max(max, x); mean += x; sq += x * x; }
        mean /= w.length;
        double var = sq / w.length - mean * mean;
        assertTrue(min >= -bound && max <= bound, "weights outside +-" + bound);
        assertTrue(min < -0.95 * bound && max > 0.95 * bound, "weights do not fill the interval");
        // U(-b, b) has mean 0 and variance b^2/3; with 2000 draws the standard error of the mean is b/sqrt(3*2000)
        assertEquals(0.0, mean, 4 * bound / Math.sqrt(3 * w.length));
        assertEquals(bound * bound / 3, var, 0.1 * bound * bound / 3);
        for (double x : a.bias().value().toDoubleArray()) assertTrue(Math.abs(x) <= bound);
        assertArrayEquals(w, b.weight().value().toDoubleArray(), 0);
        assertFalse(java.util.Arrays.equals(w, c.weight().value().toDoubleArray()));
        // weight and bias come from different streams
        assertNotEquals(w[0], a.bias().value().toDoubleArray()[0]);

        Conv2d conv;
        try (Init init = Init.seeded(1)) { conv = new Conv2d(6, 4, 3, 1, 1, 1, 2, true); }
        double cb = 1 / Math.sqrt(3 * 9);
        for (double x : conv.weight().value().toDoubleArray()) assertTrue(Math.abs(x) <= cb);
        GroupNorm gn = new GroupNorm(2, 4);
        assertArrayEquals(new double[]{1, 1, 1, 1}, gn.weight().value().toDoubleArray(), 0);
        assertArrayEquals(new double[]{0, 0, 0, 0}, gn.bias().value().toDoubleArray(), 0);
    }

    @Test void stateDictRoundTripAndCast() {
        Linear a, b;
        try (Init init = Init.seeded(5)) { a = new Linear(3, 2); }
        try (Init init = Init.seeded(6)) { b = new Linear(3, 2); }
        b.cast(DType.F64);
        assertEquals(DType.F64, b.weight().dtype());
        LinkedHashMap<String, Tensor> snapshot = b.stateDict();
        b.loadStateDict(a.stateDict());
        assertFalse(java.util.Arrays.equals(snapshot.get("weight").toDoubleArray(), b.weight().value().toDoubleArray()),
                "a state dict is a snapshot, not a live view");
        assertEquals(DType.F64, b.weight().dtype(), "loading keeps the module's dtype");
        assertArrayEquals(a.weight().value().toDoubleArray(), b.weight().value().toDoubleArray(), 0);
        assertSame(b.to(Backends.cpu()), b);
    }

    @Test void loadStateDictListsEveryProblemAndLoadsNothing() {
        Down d = new Down();
        LinkedHashMap<String, Tensor> state = new LinkedHashMap<>();
        LinkedHashMap<String, double[]> before = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : d.stateDict().entrySet()) {
            state.put(e.getKey(), e.getValue().fullLike(7.0));  // valid entries that would change every value
            before.put(e.getKey(), e.getValue().toDoubleArray());
        }
        state.remove("down.0.res.norm.weight");
        state.remove("down.1.res.conv2.bias");
        state.put("down.2.res.conv1.weight", Tensor.zeros(Backends.cpu(), DType.F32, 1));
        state.put("extra", Tensor.zeros(Backends.cpu(), DType.F32, 1));
        state.put("down.0.res.conv2.weight", Tensor.zeros(Backends.cpu(), DType.F32, 2, 2, 3, 1));
        state.put("down.0.res.conv1.bias", Tensor.zeros(Backends.cpu(), DType.F32, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.loadStateDict(state));
        String m = e.getMessage();
        for (String s : List.of("missing (2)", "down.0.res.norm.weight", "down.1.res.conv2.bias", "unexpected (2)",
                "down.2.res.conv1.weight", "extra", "mis-shaped (1)", "down.0.res.conv2.weight", "[2, 2, 3, 3]", "[2, 2, 3, 1]")) {
            assertTrue(m.contains(s), "message lacks '" + s + "': " + m);
        }
        for (Map.Entry<String, Parameter> p : d.namedParameters().entrySet()) {
            assertArrayEquals(before.get(p.getKey()), p.getValue().value().toDoubleArray(), 0, "nothing may be loaded on failure: " + p.getKey());
        }
    }

    @Test void trainEvalPropagateAndZeroGradClears() {
        Sequential s = new Sequential(new Linear(2, 2), new SiLU(), new Dropout(0.5));
        s.eval();
        for (Module m : s.namedModules().values()) assertFalse(m.isTraining());
        s.train();
        for (Module m : s.namedModules().values()) assertTrue(m.isTraining());
        Variable y = s.forward(Variable.constant(Tensor.ones(Backends.cpu(), DType.F32, 3, 2))).sum();
        y.backward();
        assertNotNull(s.parameters().get(0).grad());
        s.zeroGrad();
        for (Parameter p : s.parameters()) assertNull(p.grad());
        assertThrows(IllegalArgumentException.class, () -> new Sequential(new SinusoidalEmbedding(4)));
    }

    @Test void sequentialNamesLayersByIndex() {
        Sequential s = new Sequential(new Linear(2, 3), new SiLU(), new Linear(3, 1));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(s.namedParameters().keySet()));
        Map<String, Module> kids = s.children();
        assertEquals(3, kids.size());
    }
}
