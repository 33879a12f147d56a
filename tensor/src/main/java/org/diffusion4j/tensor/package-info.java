/** diffusion4j tensor module. */
package org.diffusion4j.tensor;
