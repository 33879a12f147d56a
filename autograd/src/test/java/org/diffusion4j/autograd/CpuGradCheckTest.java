package org.diffusion4j.autograd;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Backends;

/** Every backward rule against central differences on the CPU backend in F64. */
class CpuGradCheckTest extends GradCheckSuite {
    @Override Backend backend() { return Backends.cpu(); }
}
