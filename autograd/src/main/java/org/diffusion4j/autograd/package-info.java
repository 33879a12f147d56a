/** diffusion4j autograd module. */
package org.diffusion4j.autograd;
