/** diffusion4j experiments module. */
package org.diffusion4j.experiments;
