package org.diffusion4j.diffusion.net;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Init;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.BackendProvider;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The ResBlock's time-embedding and residual additions run inside its convolutions (Variable.conv2dAdd); the block
 * gives the bits of the same block written as separate operations, on the CPU and on OpenCL (where the Winograd
 * output transform does the additions), with and without a skip convolution, and the same gradients to rounding.
 */
@SuppressWarnings("try")
class ResBlockFusionTest {

    private static List<Backend> backends() {
        List<Backend> out = new ArrayList<>(List.of(Backends.cpu()));
        BackendProvider p = Backends.provider("opencl");
        if (p != null && !p.devices().isEmpty()) out.add(Backends.select("opencl:" + p.devices().get(0).index()));
        else if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("CI=true but no OpenCL device");
        return out;
    }

    @Test void fusedBlockEqualsTheUnfusedBlock() {
        for (Backend be : backends()) {
            for (int[] io : new int[][]{{16, 16}, {24, 16}}) {
                ResBlock block;
                try (Init init = Init.seeded(3, Backends.cpu(), DType.F32)) {
                    block = new ResBlock(io[0], io[1], 32, 0, 8);
                }
                block.to(be);
                block.eval();
                Tensor x = Tensor.randn(be, DType.F32, 1, 0, 2, io[0], 6, 5);
                Tensor temb = Tensor.randn(be, DType.F32, 2, 0, 2, 32);
                try (NoGrad ng = NoGrad.enter()) {
                    float[] fused = block.forward(Variable.constant(x), Variable.constant(temb)).value().toFloatArray();
                    float[] unfused = block.forwardUnfused(Variable.constant(x), Variable.constant(temb)).value().toFloatArray();
                    assertArrayEquals(unfused, fused, 0f, be.description() + " " + io[0] + "->" + io[1]);
                }
                // gradients: the same sums, possibly reduced in another order
                Variable xv = Variable.parameter(x), tv = Variable.parameter(temb);
                block.forward(xv, tv).square().sum().backward();
                float[] gx = xv.grad().toFloatArray(), gt = tv.grad().toFloatArray();
                Variable xu = Variable.parameter(x), tu = Variable.parameter(temb);
                block.forwardUnfused(xu, tu).square().sum().backward();
                assertArrayEquals(xu.grad().toFloatArray(), gx, 1e-4f, "input gradient on " + be.description());
                assertArrayEquals(tu.grad().toFloatArray(), gt, 1e-3f, "time-embedding gradient on " + be.description());
            }
        }
    }
}
