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

    /**
     * What keeps {@link #loadState} from accepting these saved averages, one line per problem (empty when it would
     * accept them): entries for no parameter, missing or mis-shaped entries, no or a bad update counter.
     */
    public java.util.List<String> stateProblems(Map<String, Tensor> averages, Map<String, String> metadata) {
        java.util.List<String> problems = new java.util.ArrayList<>();
        if (averages.isEmpty() && !metadata.containsKey("updates")) {
            problems.add("no EMA state (no averages and no 'updates' entry)");
            return problems;
        }
        java.util.List<String> missing = new java.util.ArrayList<>();
        for (String k : averages.keySet()) if (!shadow.containsKey(k)) problems.add("Ema state: unexpected entry '" + k + "'");
        for (Map.Entry<String, Tensor> e : shadow.entrySet()) {
            Tensor t = averages.get(e.getKey());
            if (t == null) missing.add(e.getKey());
            else if (!java.util.Arrays.equals(t.shape(), e.getValue().shape())) problems.add("Ema state: '"
                    + e.getKey() + "' has shape " + java.util.Arrays.toString(t.shape()) + ", expected "
                    + java.util.Arrays.toString(e.getValue().shape()));
        }
        if (!missing.isEmpty()) problems.add("Ema state is incomplete: " + missing.size() + " entries missing ("
                + String.join(", ", missing.subList(0, Math.min(8, missing.size()))) + (missing.size() > 8 ? ", ..." : "") + ")");
        String u = metadata.get("updates");
        if (u == null) problems.add("Ema state has no 'updates' entry");
        else {
            try {
                if (Long.parseLong(u) < 0) problems.add("Ema state has updates " + u + ", expected >= 0");
            } catch (NumberFormatException e) {
                problems.add("Ema state has updates '" + u + "', expected an integer");
            }
        }
        return problems;
    }

    /** Restores averages and the update counter; state that {@link #stateProblems} finds fault with is refused, changing nothing. */
    public void loadState(Map<String, Tensor> averages, Map<String, String> metadata) {
        java.util.List<String> problems = stateProblems(averages, metadata);
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        for (Map.Entry<String, Tensor> e : shadow.entrySet()) {
            Tensor ref = e.getValue();
            ref.backend().copy(averages.get(e.getKey()).to(ref.backend()).view(), ref.view());
        }
        updates = Long.parseLong(metadata.get("updates"));   // checked by stateProblems
    }
}
