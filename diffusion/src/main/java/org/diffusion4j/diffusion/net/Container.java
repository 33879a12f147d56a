package org.diffusion4j.diffusion.net;

import org.diffusion4j.nn.Module;

/** A module that only groups children under numbered names (like PyTorch's ModuleList), for hierarchical names. */
final class Container extends Module {
    private int next;

    <M extends Module> M add(M child) { return register(Integer.toString(next++), child); }

    <M extends Module> M add(String name, M child) { return register(name, child); }
}
