package org.diffusion4j.autograd;

import org.diffusion4j.tensor.Backend;

/**
 * Every backward rule against central differences on the OpenCL backend in F64 (PoCL in CI). Skipped with
 * a notice when no OpenCL device is present; fails under CI=true in that case.
 */
class OpenClGradCheckTest extends GradCheckSuite {
    @Override Backend backend() { return OpenClDevice.backend(); }
}
