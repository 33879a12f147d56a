package org.diffusion4j.benchmarks.sidebyside;

import org.diffusion4j.diffusion.net.UNet;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.experiments.io.Npy;
import org.diffusion4j.io.Safetensors;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** ExportAndRun on the CPU at tiny batches: every file it writes against a direct computation. */
class ExportAndRunTest {
    @TempDir static Path dir;
    static Map<String, Object> manifest;
    static final Backend cpu = Backends.cpu();

    @BeforeAll
    static void runOnce() throws Exception {
        ExportAndRun.Options o = ExportAndRun.Options.parse(new String[]{"--out", dir.toString(), "--device", "cpu",
                "--batches", "1,3", "--ddim-steps", "2", "--ddim-batch", "1"});
        manifest = ExportAndRun.run(o);
    }

    @Test
    void manifestNamesTheRun() {
        assertEquals(6_469_889L, ((Number) manifest.get("parameters")).longValue());
        assertTrue(Files.exists(dir.resolve("manifest.json")));
        @SuppressWarnings("unchecked") Map<String, Object> ddim = (Map<String, Object>) manifest.get("ddim");
        assertArrayEquals(new int[]{999, 499}, (int[]) ddim.get("timesteps"));
        assertEquals(2L, ((Number) ddim.get("nfe")).longValue());
    }

    @Test
    void inputsAndOutputsMatchADirectForwardOfTheExportedWeights() throws Exception {
        // the weights as written, loaded into a net built under another seed: the forward must not depend on that seed
        UNet net = UNetSWorkload.build("unet-s", cpu, 99);
        net.loadStateDict(Safetensors.read(dir.resolve("unet_s.safetensors")).tensors());
        for (int batch : new int[]{1, 3}) {
            Npy.Array x = Npy.read(dir.resolve("x_b" + batch + ".npy"));
            Npy.Array t = Npy.read(dir.resolve("t_b" + batch + ".npy"));
            Npy.Array out = Npy.read(dir.resolve("out_b" + batch + ".npy"));
            assertArrayEquals(new int[]{batch, 1, 28, 28}, x.shape());
            assertArrayEquals(new int[]{batch}, t.shape());
            assertArrayEquals(new int[]{batch, 1, 28, 28}, out.shape());
            assertTrue(x.float32() && t.float32() && out.float32());
            for (int i = 0; i < batch; i++) assertEquals((500 + 389 * i) % 1000, t.data()[i], "t[" + i + "]");
            assertArrayEquals(UNetSWorkload.images(cpu, 7, batch).toDoubleArray(), x.data(), "x is the seeded draw");
            Tensor direct = UNetSWorkload.forward(net, Tensor.of(cpu, DType.F32, x.data(), x.shape()),
                    Tensor.of(cpu, DType.F32, t.data(), batch));
            assertArrayEquals(direct.toDoubleArray(), out.data(), 1e-6, "batch " + batch);
            double spread = 0;
            for (double v : out.data()) spread = Math.max(spread, Math.abs(v));
            assertTrue(spread > 1e-3, "the output is not all zeros");
        }
    }

    /** The DDIM sample against the update written out plainly in float64 from network evaluations (as parity.py does). */
    @Test
    void ddimSampleMatchesAPlainLoop() throws Exception {
        UNet net = UNetSWorkload.build("unet-s", cpu, UNetSWorkload.WEIGHT_SEED);
        Npy.Array xT = Npy.read(dir.resolve("ddim_xT.npy"));
        Npy.Array sample = Npy.read(dir.resolve("ddim_x0.npy"));
        assertArrayEquals(new int[]{1, 1, 28, 28}, xT.shape());
        DiscreteSchedule s = UNetSWorkload.schedule();
        double[] x = xT.data().clone();
        List<Integer> steps = List.of(999, 499);
        for (int k = 0; k < steps.size(); k++) {
            int i = steps.get(k);
            double ab = s.alphaBar(i), abPrev = k + 1 < steps.size() ? s.alphaBar(steps.get(k + 1)) : 1.0;
            double[] eps = UNetSWorkload.forward(net, Tensor.of(cpu, DType.F32, x, xT.shape()),
                    Tensor.of(cpu, new float[]{i}, 1)).toDoubleArray();
            for (int j = 0; j < x.length; j++) {
                double x0 = (x[j] - Math.sqrt(1 - ab) * eps[j]) / Math.sqrt(ab);
                x[j] = Math.sqrt(abPrev) * x0 + Math.sqrt(1 - abPrev) * eps[j];
            }
        }
        double scale = 0, err = 0;
        for (int j = 0; j < x.length; j++) {
            scale = Math.max(scale, Math.abs(x[j]));
            err = Math.max(err, Math.abs(x[j] - sample.data()[j]));
        }
        assertTrue(err / scale < 1e-4, "DDIM sample differs from the plain loop: max|a-b|/max|b| = " + err / scale);
    }

    @Test
    void badOptionsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> ExportAndRun.Options.parse(new String[]{"--out", "x", "--batches", "1,zero"}));
        assertTrue(e.getMessage().contains("zero"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ExportAndRun.Options.parse(new String[]{"--out", "x", "--bogus", "1"}));
        assertTrue(e.getMessage().contains("--bogus"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ExportAndRun.Options.parse(new String[]{"--out", "x", "--ddim-steps", "1001"}));
        assertTrue(e.getMessage().contains("1001"), e.getMessage());
    }
}
