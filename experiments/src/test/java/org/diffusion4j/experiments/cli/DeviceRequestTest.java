package org.diffusion4j.experiments.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DeviceRequestTest {

    @Test
    void parsesKindAndIndex() {
        DeviceRequest r = DeviceRequest.parse(" OpenCL:17 ", "--device", List.of());
        assertEquals("opencl:17", r.spec());
        assertEquals("opencl", r.kind());
        assertEquals(17, r.index());
        assertEquals("--device", r.source());
        assertFalse(r.isAutomatic());
    }

    @Test
    void kindWithoutIndexHasIndexMinusOne() {
        DeviceRequest r = DeviceRequest.parse("opencl", "D4J_DEVICE", List.of());
        assertEquals("opencl", r.kind());
        assertEquals(-1, r.index());
        assertEquals(-1, DeviceRequest.parse("cpu", "--device", List.of()).index());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpu", "opencl:", "opencl:-1", "opencl:x", ":3", "cpu:1", "cuda:0", "open cl"})
    void rejectsBadSpecsNamingTheValueAndWhatIsExpected(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeviceRequest.parse(bad, "--device", List.of()));
        assertTrue(e.getMessage().contains("'" + bad + "'") || e.getMessage().contains(bad.trim()), e.getMessage());
        assertTrue(e.getMessage().contains("--device"), e.getMessage());
        assertTrue(e.getMessage().contains("cpu"), e.getMessage());
    }

    @Test
    void rejectsEmpty() {
        assertThrows(IllegalArgumentException.class, () -> DeviceRequest.parse("  ", "D4J_DEVICE", List.of()));
    }

    @Test
    void acceptsTheKindOfAnyProviderOnTheClassPath() {
        FakeProvider cuda = new FakeProvider("cuda", List.of(), -1, null);
        assertEquals("cuda:0", DeviceRequest.parse("cuda:0", "--device", List.of(cuda)).spec());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeviceRequest.parse("metal", "--device", List.of(cuda)));
        assertTrue(e.getMessage().contains("cuda or cuda:N"), e.getMessage());
    }
}
