package org.diffusion4j.experiments.generators;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.BackendProvider;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** An OpenCL backend with F64 for these tests (PoCL in CI); skipped without one, except under CI=true, where it fails. */
final class OpenClForTests {
    private OpenClForTests() { }

    static Backend backend() {
        String why;
        BackendProvider p = Backends.provider("opencl");
        if (p == null) why = "no OpenCL backend provider on the class path";
        else if (p.devices().isEmpty()) why = "no OpenCL device";
        else {
            Backend b = Backends.select("opencl:" + p.devices().get(0).index());
            if (b.supports(DType.F64)) return b;
            why = b.description() + " has no F64";
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail("CI=true but the OpenCL tests cannot run: " + why);
        Assumptions.abort("OpenCL tests skipped: " + why);
        return null;
    }
}
