package org.diffusion4j.diffusion.net;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.ConcatenatedParameters;
import org.diffusion4j.nn.Parameter;
import org.diffusion4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The time projections Linear(timeWidth, out) of all ResBlocks of a UNet, applied to the same SiLU(temb): without a
 * recorded gradient, one GEMM over the blocks' weights joined along the output axis (and their biases, in its
 * epilogue) gives every block its [N, out] slice, in place of one GEMM and one bias add per block. The joined weights
 * are kept while the weights do not change ({@link ConcatenatedParameters}); the blocks keep their own parameters, so
 * state dicts and checkpoints are as before. When a gradient is recorded (training) each block projects on its own,
 * since joining the parameters would copy them on every step.
 */
final class TimeProjections {
    private final List<ResBlock> blocks;
    private final ConcatenatedParameters weights, biases;

    TimeProjections(List<ResBlock> blocks) {
        this.blocks = List.copyOf(blocks);
        List<Parameter> w = new ArrayList<>(), b = new ArrayList<>();
        for (ResBlock rb : blocks) {
            w.add(rb.timeProjection().weight());
            b.add(rb.timeProjection().bias());
        }
        this.weights = new ConcatenatedParameters(w);
        this.biases = new ConcatenatedParameters(b);
    }

    /** Each block's Linear(activatedTimeEmbedding), keyed by block. */
    Map<ResBlock, Variable> project(Variable activatedTimeEmbedding) {
        Map<ResBlock, Variable> out = new IdentityHashMap<>();
        if (NoGrad.isRecording()) {
            for (ResBlock rb : blocks) out.put(rb, rb.timeProjection().forward(activatedTimeEmbedding));
            return out;
        }
        Tensor all = Tensor.linear(activatedTimeEmbedding.value(), weights.get(), biases.get(), false);   // [N, sum of outs]
        int at = 0;
        for (ResBlock rb : blocks) {
            out.put(rb, Variable.constant(all.narrow(1, at, rb.outChannels())));
            at += rb.outChannels();
        }
        return out;
    }
}
