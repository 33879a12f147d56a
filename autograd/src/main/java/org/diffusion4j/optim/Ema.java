package org.diffusion4j.optim;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exponential moving average of parameters: shadow = d * shadow + (1 - d) * p after each update. With
 * warmup the decay of the n-th update (1-based) is min(decay, (1 + n) / (10 + n)), so early averages are not
 * dominated by the random initialisation. The shadows live on the parameters' backends.
 */
public final class Ema {
    private final LinkedHashMap<String, Variable> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> shadow = new LinkedHashMap<>();
    private final double decay;
    private final boolean warmup;
    private long updates;

    public Ema(Map<String, ? extends Variable> named, double decay, boolean warmup) {
        if (!(decay >= 0 && decay <= 1)) throw new IllegalArgumentException("Ema: decay must be in [0, 1], got " + decay);
        this.decay = decay;
        this.warmup = warmup;
        for (Map.Entry<String, ? extends Variable> e : named.entrySet()) {
            parameters.put(e.getKey(), e.getValue());
            shadow.put(e.getKey(), Scope.persist(e.getValue().value().copy()));
        }
    }

    /** The decay the next update will use. */
    public double currentDecay() {
        long n = updates + 1;
        return warmup ? Math.min(decay, (1.0 + n) / (10.0 + n)) : decay;
    }

    public long updates() { return updates; }

    /** Folds the parameters' current values into the averages. */
    public void update() {
        double d = currentDecay();
        for (Map.Entry<String, Variable> e : parameters.entrySet()) {
            Tensor s = shadow.get(e.getKey());
            Tensor p = e.getValue().value();
            // in place, one pass: each element reads its own old value before it is written
            s.backend().linearCombination(d, s.view(), 1 - d, p.view(), 0, null, s.view());
        }
        updates++;
    }

    /**
     * The averaged values by parameter name (use with Module.loadStateDict to evaluate the EMA model). These
     * are the live shadows, updated in place by {@link #update()}.
     */
    public LinkedHashMap<String, Tensor> averages() { return new LinkedHashMap<>(shadow); }

    public LinkedHashMap<String, String> stateMetadata() {
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        m.put("decay", Double.toString(decay));
        m.put("warmup", Boolean.toString(warmup));
        m.put("updates", Long.toString(updates));
        return m;
    }

    /** Restores averages and the update counter; every name must be present with the right shape. */
    public void loadState(Map<String, Tensor> averages, Map<String, String> metadata) {
        for (String k : averages.keySet()) if (!shadow.containsKey(k)) throw new IllegalArgumentException("Ema state: unexpected entry '" + k + "'");
        for (Map.Entry<String, Tensor> e : shadow.entrySet()) {
            Tensor t = averages.get(e.getKey());
            if (t == null) throw new IllegalArgumentException("Ema state: missing entry '" + e.getKey() + "'");
            if (!java.util.Arrays.equals(t.shape(), e.getValue().shape())) throw new IllegalArgumentException("Ema state: '"
                    + e.getKey() + "' has shape " + java.util.Arrays.toString(t.shape()) + ", expected "
                    + java.util.Arrays.toString(e.getValue().shape()));
        }
        String u = metadata.get("updates");
        if (u == null) throw new IllegalArgumentException("Ema state has no 'updates' entry");
        for (Map.Entry<String, Tensor> e : shadow.entrySet()) {
            Tensor ref = e.getValue();
            ref.backend().copy(averages.get(e.getKey()).to(ref.backend()).view(), ref.view());
        }
        try {
            updates = Long.parseLong(u);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Ema state metadata 'updates' is '" + u + "', expected an integer");
        }
    }
}
