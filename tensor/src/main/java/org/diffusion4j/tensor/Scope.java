package org.diffusion4j.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * An explicit lifetime for intermediate tensors. Every storage allocated by this thread while a scope is
 * open belongs to the innermost scope and is closed (returned to its backend's pool) when the scope
 * closes, unless {@link #keep} moved it out. The garbage collector does not see GPU memory, so hot loops
 * (sampling, training) run each step in a scope:
 *
 * <pre>{@code
 * for (int i = 0; i < steps; i++) {
 *     try (Scope s = Scope.open()) {
 *         Tensor next = step(x);
 *         x = s.keep(next);       // survives into the enclosing scope
 *     }
 * }
 * }</pre>
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<Deque<Scope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private final Map<Storage, Boolean> owned = new IdentityHashMap<>();
    private final Scope parent;
    private boolean closed;

    private Scope(Scope parent) { this.parent = parent; }

    /** Opens a scope nested in the current one (if any). */
    public static Scope open() {
        Deque<Scope> stack = STACK.get();
        Scope s = new Scope(stack.peek());
        stack.push(s);
        return s;
    }

    /** The innermost open scope of this thread, or null. */
    public static Scope current() { return STACK.get().peek(); }

    /** Called by the Tensor layer for every new storage. */
    static void register(Storage storage) {
        Scope s = STACK.get().peek();
        if (s != null) s.owned.put(storage, Boolean.TRUE);
    }

    /** Moves the tensors' storages to the enclosing scope (or out of scope management) and returns the first. */
    public Tensor keep(Tensor t) {
        release(t.storage());
        return t;
    }

    public void keepAll(Tensor... ts) { for (Tensor t : ts) if (t != null) release(t.storage()); }

    private void release(Storage st) {
        if (owned.remove(st) != null && parent != null) parent.owned.put(st, Boolean.TRUE);
    }

    /**
     * Takes the tensor's storage out of every open scope of this thread, so that it lives until it is closed
     * explicitly: for long-lived state (parameters, optimiser moments) first created inside a step's scope.
     */
    public static Tensor persist(Tensor t) {
        for (Scope s : STACK.get()) s.owned.remove(t.storage());
        return t;
    }

    /** Number of storages this scope owns now. */
    public int size() { return owned.size(); }

    @Override public void close() {
        if (closed) return;
        closed = true;
        Deque<Scope> stack = STACK.get();
        if (stack.peek() != this) throw new IllegalStateException("scopes must be closed innermost first");
        stack.pop();
        List<Storage> all = new ArrayList<>(owned.keySet());
        owned.clear();
        for (Storage st : all) st.close();
    }
}
