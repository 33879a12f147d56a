/**
 * The OpenCL backend of diffusion4j: {@link org.diffusion4j.kernels.OpenClBackend} implements tensor's
 * Backend SPI with OpenCL C kernels (resources under org/diffusion4j/kernels/) called through JOCL, and
 * {@link org.diffusion4j.kernels.OpenClProvider} makes the devices known to {@code Backends}. The runtime
 * (context, queue, buffer pool, program cache, error messages) lives in the {@code runtime} sub-package.
 * See kernels/README.md for the design and the measured speed.
 */
package org.diffusion4j.kernels;
