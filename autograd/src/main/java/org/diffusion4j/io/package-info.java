/** Checkpoints in the safetensors format, written atomically and validated completely on reading. */
package org.diffusion4j.io;
