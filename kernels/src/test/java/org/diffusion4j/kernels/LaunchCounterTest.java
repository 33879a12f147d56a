package org.diffusion4j.kernels;

import org.diffusion4j.tensor.BinaryOp;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** kernelLaunches() counts enqueued kernels, one per elementwise primitive, and nothing for transfers. */
class LaunchCounterTest {

    @Test void countsOneLaunchPerElementwisePrimitiveAndNoneForTransfers() {
        OpenClBackend b = OpenClTestDevice.backend();
        Tensor x = Tensor.of(b, new float[]{1, 2, 3}, 3);
        Tensor out = Tensor.empty(b, DType.F32, 3);
        long before = b.kernelLaunches();
        for (int i = 0; i < 17; i++) b.binary(BinaryOp.ADD, x.view(), x.view(), out.view());
        assertEquals(17, b.kernelLaunches() - before);
        long afterAdds = b.kernelLaunches();
        out.toFloatArray();                                   // a read is a transfer, not a kernel
        b.write(out.storage(), 0, new float[]{4, 5, 6});
        assertEquals(afterAdds, b.kernelLaunches());
        x.storage().close();
        out.storage().close();
    }
}
