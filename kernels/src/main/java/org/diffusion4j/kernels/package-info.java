/** diffusion4j kernels module. */
package org.diffusion4j.kernels;
