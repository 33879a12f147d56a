package org.diffusion4j.tensor;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The device grammar, its precedence and the explained choice, without providers (the CPU alone). */
class DeviceSelectionTest {
    @Test
    void anExplicitSpecBeatsTheEnvironmentWhichBeatsTheAutomaticChoice() {
        Map<String, String> env = Map.of(DeviceSelection.DEVICE_ENV, "CPU:0");
        assertEquals(new DeviceSelection.Request("cpu", "--device"), DeviceSelection.request(" cpu ", "--device", env, List.of()));
        assertEquals(new DeviceSelection.Request("cpu:0", DeviceSelection.DEVICE_ENV), DeviceSelection.request(null, "--device", env, List.of()));
        assertTrue(DeviceSelection.request(null, "--device", Map.of(), List.of()).isAutomatic());
    }

    @Test
    void theChoiceSaysWhy() {
        DeviceSelection.Choice auto = DeviceSelection.resolve(DeviceSelection.Request.automatic(), List.of());
        assertEquals(Device.CPU, auto.device());
        assertTrue(auto.reason().contains("first GPU, else the CPU") && auto.reason().contains("no other device"), auto.reason());
        DeviceSelection.Choice cpu = DeviceSelection.resolve(DeviceSelection.parse("cpu", "--device", List.of()), List.of());
        assertEquals("asked for with --device", cpu.reason());
        assertSame(Backends.cpu(), Backends.open(cpu));
    }

    @Test
    void badSpecsNameTheValueAndTheSource() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceSelection.parse("gpu!", "D4J_DEVICE", List.of()));
        assertTrue(e.getMessage().contains("gpu!") && e.getMessage().contains("D4J_DEVICE") && e.getMessage().contains("opencl:N"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DeviceSelection.parse("cuda", "--device", List.of()));
        assertTrue(e.getMessage().contains("unknown device kind 'cuda'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DeviceSelection.parse("cpu:1", "--device", List.of()));
        assertTrue(e.getMessage().contains("one CPU device"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DeviceSelection.resolve(DeviceSelection.parse("opencl:0", "--device", List.of()), List.of()));
        assertTrue(e.getMessage().contains("no opencl provider"), e.getMessage());
        assertTrue(DeviceSelection.wellFormed("opencl:3") && !DeviceSelection.wellFormed("opencl:") && !DeviceSelection.wellFormed(null));
    }
}
