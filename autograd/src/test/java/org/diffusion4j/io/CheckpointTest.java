package org.diffusion4j.io;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Init;
import org.diffusion4j.nn.Linear;
import org.diffusion4j.nn.Sequential;
import org.diffusion4j.nn.SiLU;
import org.diffusion4j.optim.AdamW;
import org.diffusion4j.optim.Ema;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** A run stopped after 3 steps and resumed from its checkpoint continues bitwise as the uninterrupted run. */
class CheckpointTest {
    @TempDir Path dir;

    private record Run(Sequential model, AdamW opt, Ema ema) { }

    private static Run fresh() {
        Sequential m;
        try (Init init = Init.seeded(4)) { m = new Sequential(new Linear(3, 8), new SiLU(), new Linear(8, 2)); }
        return new Run(m, new AdamW(m.namedParameters(), 1e-2), new Ema(m.namedParameters(), 0.9, true));
    }

    private static void steps(Run r, int from, int to) {
        for (int s = from; s < to; s++) {
            Tensor x = Tensor.randn(Backends.cpu(), DType.F32, 100, s, 5, 3);
            r.opt.zeroGrad();
            r.model.forward(Variable.constant(x)).square().mean().backward();
            r.opt.step();
            r.ema.update();
        }
    }

    @Test void resumeContinuesExactly() {
        Run straight = fresh();
        steps(straight, 0, 6);

        Run first = fresh();
        steps(first, 0, 3);
        Path f = dir.resolve("step3.safetensors");
        Checkpoint.write(f, first.model, first.opt, first.ema, Map.of("step", "3"));

        Run resumed = fresh();
        Map<String, String> meta = Checkpoint.restore(f, resumed.model, resumed.opt, resumed.ema);
        assertEquals(Map.of("step", "3"), meta);
        assertEquals(3, resumed.opt.stepCount());
        steps(resumed, 3, 6);
        for (String k : straight.model.stateDict().keySet()) {
            assertArrayEquals(straight.model.stateDict().get(k).toFloatArray(), resumed.model.stateDict().get(k).toFloatArray(), k);
            assertArrayEquals(straight.ema.averages().get(k).toFloatArray(), resumed.ema.averages().get(k).toFloatArray(), k);
        }
    }
}
