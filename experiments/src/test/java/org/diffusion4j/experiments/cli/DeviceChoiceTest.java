package org.diffusion4j.experiments.cli;

import org.diffusion4j.tensor.BackendProvider;
import org.diffusion4j.tensor.Device;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.diffusion4j.experiments.cli.FakeProvider.cpu;
import static org.diffusion4j.experiments.cli.FakeProvider.gpu;
import static org.junit.jupiter.api.Assertions.*;

class DeviceChoiceTest {

    private static final FakeProvider POCL_AND_TWO_GPUS = new FakeProvider("opencl",
            List.of(cpu(0, "pthread-cpu"), gpu(1, "H100 A"), gpu(2, "H100 B")), 1, null);

    private static DeviceChoice choose(String spec, BackendProvider... providers) {
        DeviceRequest request = spec == null ? DeviceRequest.automatic()
                : DeviceRequest.parse(spec, "--device", List.of(providers));
        return DeviceChoice.resolve(request, List.of(providers));
    }

    @Test
    void automaticTakesTheFirstGpuNotTheFirstDevice() {
        DeviceChoice c = choose(null, POCL_AND_TWO_GPUS);
        assertEquals(new Device("opencl", 1), c.device());
        assertTrue(c.reason().contains("first GPU (H100 A)"), c.reason());
    }

    @Test
    void automaticWithoutAGpuIsTheCpuAndSaysHowManyDevicesWereSkipped() {
        FakeProvider poclOnly = new FakeProvider("opencl", List.of(cpu(0, "pthread-cpu")), 0, null);
        DeviceChoice c = choose(null, poclOnly);
        assertEquals(Device.CPU, c.device());
        assertTrue(c.reason().contains("1 other device was found, none of them a GPU"), c.reason());
    }

    @Test
    void automaticWithoutProvidersOrDriversIsTheCpu() {
        assertEquals(Device.CPU, choose(null).device());
        assertEquals(Device.CPU, choose(null, FakeProvider.noDriver()).device());
        assertTrue(choose(null).reason().contains("no other device was found"));
    }

    @Test
    void explicitIndexIsTakenAsGivenEvenForANonGpu() {
        DeviceChoice c = choose("opencl:0", POCL_AND_TWO_GPUS);
        assertEquals(new Device("opencl", 0), c.device());
        assertTrue(c.reason().startsWith("asked for with --device"), c.reason());
        assertTrue(c.reason().contains("pthread-cpu"), c.reason());
    }

    @Test
    void kindWithoutIndexIsTheProvidersDefaultDevice() {
        DeviceChoice c = choose("opencl", POCL_AND_TWO_GPUS);
        assertEquals(new Device("opencl", 1), c.device());
        assertTrue(c.reason().contains("default device (H100 A)"), c.reason());
    }

    @Test
    void explicitCpuIsTheCpuWhateverElseExists() {
        assertEquals(Device.CPU, choose("cpu", POCL_AND_TWO_GPUS).device());
    }

    @Test
    void missingIndexIsAnErrorListingTheDevicesThatExist() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> choose("opencl:3", POCL_AND_TWO_GPUS));
        assertTrue(e.getMessage().contains("'opencl:3'"), e.getMessage());
        assertTrue(e.getMessage().contains("opencl:0 (pthread-cpu), opencl:1 (H100 A), opencl:2 (H100 B)"),
                e.getMessage());
    }

    @Test
    void kindWithoutIndexAndWithoutADefaultDeviceIsAnErrorListingTheDevices() {
        FakeProvider poclOnly = new FakeProvider("opencl", List.of(cpu(0, "pthread-cpu")), -1, null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> choose("opencl", poclOnly));
        assertTrue(e.getMessage().contains("no default device"), e.getMessage());
        assertTrue(e.getMessage().contains("opencl:0 (pthread-cpu)"), e.getMessage());
    }

    @Test
    void openClWithoutAProviderIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> choose("opencl"));
        assertTrue(e.getMessage().contains("no opencl provider"), e.getMessage());
    }

    @Test
    void openClWithoutADriverIsAnErrorGivingTheProvidersReason() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> choose("opencl:0", FakeProvider.noDriver()));
        assertTrue(e.getMessage().contains("libOpenCL.so could not be loaded"), e.getMessage());
    }
}
