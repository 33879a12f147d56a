package org.diffusion4j.io;

import org.diffusion4j.nn.Init;
import org.diffusion4j.nn.Linear;
import org.diffusion4j.nn.Parameter;
import org.diffusion4j.optim.AdamW;
import org.diffusion4j.optim.Ema;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** A checkpoint with a non-finite tensor or incomplete state is refused by name, and restoring it changes nothing. */
class CheckpointValidationTest {
    @TempDir Path dir;

    private record Run(Linear model, AdamW opt, Ema ema) { }

    private static Run fresh(long seed) {
        Linear m;
        try (Init init = Init.seeded(seed)) { m = new Linear(3, 5); }
        return new Run(m, new AdamW(m.namedParameters(), 1e-2), new Ema(m.namedParameters(), 0.9, false));
    }

    /** One optimiser step with random gradients on the named parameters only. */
    private static void step(Run r, String... withGradient) {
        for (String name : withGradient) {
            Parameter p = r.model.namedParameters().get(name);
            p.setGrad(Tensor.randn(Backends.cpu(), DType.F32, 9, name.length(), p.shape()));
        }
        r.opt.step();
        r.ema.update();
    }

    private Path saved(Run r) {
        Path file = dir.resolve("ck.safetensors");
        Checkpoint.write(file, r.model, r.opt, r.ema, Map.of("step", "1"));
        return file;
    }

    /** Rewrites file with tensor name replaced by what edit returns (null: removed). */
    private static void edit(Path file, String name, java.util.function.UnaryOperator<Tensor> edit) {
        Safetensors.Contents c = Safetensors.read(file);
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>(c.tensors());
        Tensor changed = edit.apply(tensors.get(name));
        if (changed == null) tensors.remove(name); else tensors.put(name, changed);
        Safetensors.write(file, tensors, c.metadata());
    }

    private static Tensor withElement(Tensor t, int index, float value) {
        float[] v = t.toFloatArray();
        v[index] = value;
        return Tensor.of(Backends.cpu(), v, t.shape());
    }

    @Test void aNanInTheEmaIsRefusedNamingTensorAndFileAndNothingChanges() {
        Run a = fresh(1);
        step(a, "weight", "bias");
        Path file = saved(a);
        edit(file, "ema.weight", t -> withElement(t, 7, Float.NaN));
        Run b = fresh(2);
        float[] before = b.model.stateDict().get("weight").toFloatArray();
        UnusableCheckpointException e = assertThrows(UnusableCheckpointException.class,
                () -> Checkpoint.restore(file, b.model, b.opt, b.ema));
        assertTrue(e.getMessage().contains("'ema.weight'") && e.getMessage().contains(file.toString())
                && e.getMessage().contains("element 7") && e.getMessage().contains("NaN"), e.getMessage());
        assertArrayEquals(before, b.model.stateDict().get("weight").toFloatArray(), "a refused file changes nothing");
        assertEquals(0, b.opt.stepCount());
    }

    @Test void anInfiniteModelWeightIsRefusedEvenWhenOnlyTheModelIsRestored() {
        Run a = fresh(1);
        step(a, "weight", "bias");
        Path file = saved(a);
        edit(file, "model.bias", t -> withElement(t, 0, Float.NEGATIVE_INFINITY));
        UnusableCheckpointException e = assertThrows(UnusableCheckpointException.class,
                () -> Checkpoint.restore(file, fresh(2).model, null, null));
        assertTrue(e.getMessage().contains("'model.bias'") && e.getMessage().contains("-Infinity"), e.getMessage());
    }

    @Test void aMissingOptimizerMomentIsNamed() {
        Run a = fresh(1);
        step(a, "weight", "bias");
        Path file = saved(a);
        edit(file, "optim.bias.exp_avg_sq", t -> null);
        Run b = fresh(2);
        UnusableCheckpointException e = assertThrows(UnusableCheckpointException.class,
                () -> Checkpoint.restore(file, b.model, b.opt, b.ema));
        assertTrue(e.getMessage().contains("bias.exp_avg_sq") && e.getMessage().contains("optimizer state is incomplete"),
                e.getMessage());
        // The model alone (for sampling) does not need the optimiser's state.
        Checkpoint.restore(file, b.model, null, null);
        assertArrayEquals(a.model.stateDict().get("weight").toFloatArray(), b.model.stateDict().get("weight").toFloatArray());
    }

    @Test void aCheckpointWithoutEmaCannotResumeARunThatKeepsOne() {
        Run a = fresh(1);
        step(a, "weight", "bias");
        Path file = dir.resolve("no-ema.safetensors");
        Checkpoint.write(file, a.model, a.opt, null, Map.of());
        Run b = fresh(2);
        UnusableCheckpointException e = assertThrows(UnusableCheckpointException.class,
                () -> Checkpoint.restore(file, b.model, b.opt, b.ema));
        assertTrue(e.getMessage().contains("no EMA state"), e.getMessage());
    }

    /** Not too strict: a parameter that never had a gradient has no moments, and that state is complete. */
    @Test void aParameterWithoutGradientNeedsNoMoments() {
        Run a = fresh(1);
        step(a, "weight");
        assertEquals(2, a.opt.stateTensors().size(), "moments of the weight only");
        Path file = saved(a);
        Run b = fresh(2);
        Checkpoint.restore(file, b.model, b.opt, b.ema);
        assertEquals(a.opt.stateTensors().keySet(), b.opt.stateTensors().keySet());
        for (String k : a.opt.stateTensors().keySet()) {
            assertArrayEquals(a.opt.stateTensors().get(k).toFloatArray(), b.opt.stateTensors().get(k).toFloatArray(), k);
        }
    }

    @Test void stateSavedWithoutItsListOfParametersMustHoldEveryMomentPastStepZero() {
        Run a = fresh(1);
        step(a, "weight", "bias");
        Map<String, Tensor> tensors = a.opt.stateTensors();
        LinkedHashMap<String, String> meta = a.opt.stateMetadata();
        meta.remove("withState");   // as an older checkpoint wrote it
        LinkedHashMap<String, Tensor> partial = new LinkedHashMap<>(tensors);
        partial.remove("weight.exp_avg");
        assertTrue(fresh(2).opt.stateProblems(tensors, meta).isEmpty());
        assertTrue(fresh(2).opt.stateProblems(partial, meta).toString().contains("weight.exp_avg"));
    }

    @Test void nonFiniteListsEveryBadTensorAndCountsTheBadValues() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a", Tensor.of(Backends.cpu(), new float[]{1, Float.NaN, 3, Float.POSITIVE_INFINITY}, 4));
        tensors.put("b", Tensor.of(Backends.cpu(), new float[]{1, 2}, 2));
        tensors.put("c", Tensor.of(Backends.cpu(), new double[]{Double.NaN}, 1));
        var problems = Checkpoint.nonFinite(tensors);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("tensor 'a' holds 2 non-finite values of 4 (the first, NaN, at element 1)"), problems.get(0));
        assertTrue(problems.get(1).startsWith("tensor 'c'"), problems.get(1));
    }
}
