package org.diffusion4j.experiments.train;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.net.UNet;
import org.diffusion4j.diffusion.net.UNetConfig;
import org.diffusion4j.nn.Module;
import org.diffusion4j.tensor.Tensor;

/**
 * The diffusion module's UNet (UNet-S of DESIGN.md with the config's sizes) as a training {@link Network}.
 * A class-conditional UNet gets one class more than the data has: that last class is the "no class" label
 * of classifier-free guidance.
 */
public final class UNetNetwork implements Network {
    private final UNet unet;

    public UNetNetwork(UNetConfig config) { this.unet = new UNet(config); }

    public UNet unet() { return unet; }

    @Override public Module module() { return unet; }

    @Override public Variable forward(Variable x, Tensor time, int[] labels) { return unet.forward(x, time, labels); }
}
