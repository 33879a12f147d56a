package org.diffusion4j.kernels;

import org.diffusion4j.kernels.runtime.ClBuildException;
import org.diffusion4j.kernels.runtime.ClException;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorMessageTest {

    @Test void aFailedBuildCarriesTheCompilerLog() {
        OpenClBackend b = OpenClTestDevice.backend();
        String source = "__kernel void broken(__global float* x) { x[0] = no_such_variable_d4j; }";
        ClBuildException e = assertThrows(ClBuildException.class, () -> b.runtime().program("broken", source, "-DX=1"));
        assertTrue(e.getMessage().contains("broken"), e.getMessage());
        assertTrue(e.getMessage().contains("CL_BUILD_PROGRAM_FAILURE"), e.getMessage());
        assertTrue(e.getMessage().contains("no_such_variable_d4j"), "the log names the undeclared identifier: " + e.getMessage());
        assertTrue(e.getMessage().contains("-DX=1"), e.getMessage());
    }

    @Test void anOversizedAllocationNamesTheSizes() {
        OpenClBackend b = OpenClTestDevice.backend();
        long max = b.info().maxAllocBytes();
        long elements = max / 4 + 1;
        ClException e = assertThrows(ClException.class, () -> b.allocate(DType.F32, elements));
        assertTrue(e.getMessage().contains(String.valueOf(elements * 4)), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(max)), e.getMessage());
        assertTrue(e.getMessage().contains("CL_DEVICE_MAX_MEM_ALLOC_SIZE"), e.getMessage());
    }

    @Test void operandsFromAnotherDeviceAreRejectedByName() {
        OpenClBackend b = OpenClTestDevice.backend();
        Tensor onCpu = Tensor.zeros(Backends.cpu(), DType.F32, 3);
        Tensor here = Tensor.zeros(b, DType.F32, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.unary(
                org.diffusion4j.tensor.UnaryOp.EXP, onCpu.view(), here.view(), 0, 0));
        assertTrue(e.getMessage().contains("cpu"), e.getMessage());
    }

    @Test void errorCodesAreNamed() {
        ClException e = assertThrows(ClException.class, () -> ClException.check(-5, "clEnqueueNDRangeKernel", "kernel 'k', 64 items"));
        assertTrue(e.getMessage().contains("CL_OUT_OF_RESOURCES"), e.getMessage());
        assertTrue(e.getMessage().contains("clEnqueueNDRangeKernel"), e.getMessage());
        assertTrue(e.getMessage().contains("64 items"), e.getMessage());
    }
}
