/** diffusion4j benchmarks module. */
package org.diffusion4j.benchmarks;
