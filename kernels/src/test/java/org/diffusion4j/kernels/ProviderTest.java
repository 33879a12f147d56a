package org.diffusion4j.kernels;

import org.diffusion4j.kernels.runtime.ClPlatforms;
import org.diffusion4j.tensor.BackendProvider;
import org.diffusion4j.tensor.Backends;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ProviderTest {

    @Test void theProviderIsFoundAndListsEveryDeviceAcrossPlatforms() {
        OpenClTestDevice.backend(); // skips (or fails under CI) when no OpenCL exists
        BackendProvider p = Backends.provider("opencl");
        assertNotNull(p, "ServiceLoader finds the opencl provider");
        assertInstanceOf(OpenClProvider.class, p);
        List<BackendProvider.DeviceInfo> devices = p.devices();
        assertEquals(ClPlatforms.enumerate().devices().size(), devices.size());
        for (int i = 0; i < devices.size(); i++) {
            assertEquals(i, devices.get(i).index(), "numbered across platforms");
            assertFalse(devices.get(i).name().isBlank());
        }
        int firstGpu = -1;
        for (BackendProvider.DeviceInfo d : devices) if (d.type().equals("GPU")) { firstGpu = d.index(); break; }
        assertEquals(firstGpu, p.defaultDevice(), "the default is the first GPU of any platform, else -1");
        if (firstGpu < 0) {
            assertNotNull(p.unavailableReason());
            assertTrue(p.unavailableReason().contains("opencl:0"), p.unavailableReason());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.select("opencl"));
            assertTrue(e.getMessage().contains("opencl:0"), e.getMessage());
        }
    }

    @Test void aMissingIndexIsAClearError() {
        OpenClTestDevice.backend();
        OpenClProvider p = new OpenClProvider();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.open(99));
        assertTrue(e.getMessage().contains("opencl:99"), e.getMessage());
    }

    @Test void theDescriptionNamesTheDevice() {
        OpenClBackend b = OpenClTestDevice.backend();
        assertTrue(b.description().startsWith("opencl:" + b.device().index()), b.description());
        assertTrue(b.description().contains(b.info().name().trim()), b.description());
    }
}
