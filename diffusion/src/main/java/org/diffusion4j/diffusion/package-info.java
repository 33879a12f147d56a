/** diffusion4j diffusion module. */
package org.diffusion4j.diffusion;
