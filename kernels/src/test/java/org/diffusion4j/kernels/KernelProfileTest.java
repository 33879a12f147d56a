package org.diffusion4j.kernels;

import org.diffusion4j.kernels.runtime.KernelProfile;
import org.diffusion4j.tensor.BinaryOp;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.diffusion4j.tensor.UnaryOp;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Profiling events: one entry per kernel name, launch counts equal to what was enqueued, positive device times. */
class KernelProfileTest {

    @Test void countsEveryLaunchByKernelNameAndMeasuresDeviceTime() {
        OpenClBackend shared = OpenClTestDevice.backend();   // opens the test device (or skips)
        assertTrue(shared.kernelProfile().isEmpty(), "profiling is off unless asked for");
        try (OpenClBackend b = new OpenClBackend(deviceOf(shared), true)) {
            KernelProfile profile = b.kernelProfile().orElseThrow();
            Tensor x = Tensor.of(b, new float[4096], 64, 64);
            Tensor y = Tensor.empty(b, DType.F32, 64, 64);
            b.unary(UnaryOp.EXP, x.view(), y.view(), 0, 0);  // warm-up launches, then forgotten
            profile.reset();
            long before = b.kernelLaunches();
            for (int i = 0; i < 5; i++) b.binary(BinaryOp.ADD, x.view(), x.view(), y.view());
            for (int i = 0; i < 3; i++) b.unary(UnaryOp.EXP, x.view(), y.view(), 0, 0);
            for (int i = 0; i < 2; i++) b.matmul(x.view(), x.view(), y.view());
            long launched = b.kernelLaunches() - before;

            List<KernelProfile.Entry> entries = profile.entries();
            assertEquals(launched, entries.stream().mapToLong(KernelProfile.Entry::launches).sum(),
                    "every launch is in the profile: " + entries);
            Map<String, Long> byName = entries.stream().collect(Collectors.toMap(KernelProfile.Entry::kernel, KernelProfile.Entry::launches));
            assertTrue(byName.values().stream().anyMatch(n -> n == 5), "the five adds share one kernel name: " + byName);
            assertTrue(byName.values().stream().anyMatch(n -> n == 3), "the three exps share one kernel name: " + byName);
            for (KernelProfile.Entry e : entries) assertTrue(e.nanos() > 0, "device time of " + e);
            for (int i = 1; i < entries.size(); i++) assertTrue(entries.get(i - 1).nanos() >= entries.get(i).nanos(), "sorted: " + entries);

            String table = KernelProfile.table(entries, 1, 1, "run");
            assertTrue(table.contains("| **all kernels** | " + launched + ".0 |"), table);
            assertFalse(entries.size() > 1 && !table.contains("other kernels"), table);

            profile.reset();
            assertTrue(profile.entries().isEmpty(), "reset forgets");
        }
    }

    private static org.diffusion4j.kernels.runtime.ClDeviceInfo deviceOf(OpenClBackend b) {
        int index = b.device().index();
        return org.diffusion4j.kernels.runtime.ClPlatforms.enumerate().devices().get(index);
    }
}
