package org.diffusion4j.autograd;

/**
 * A thread-local scope in which operations on {@link Variable}s record nothing on the tape: results are
 * constants, so sampling and evaluation keep no graph alive.
 *
 * <pre>{@code
 * try (NoGrad g = NoGrad.enter()) {
 *     Variable eps = model.forward(x, t);   // no tape, no saved activations
 * }
 * }</pre>
 *
 * Scopes nest; recording resumes when the outermost one closes.
 */
public final class NoGrad implements AutoCloseable {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private boolean closed;

    private NoGrad() { }

    /** Opens a no-grad scope on this thread. */
    public static NoGrad enter() {
        DEPTH.get()[0]++;
        return new NoGrad();
    }

    /** True while a no-grad scope is open on this thread (so ops record nothing). */
    public static boolean isEnabled() { return DEPTH.get()[0] > 0; }

    /** True when ops on this thread record the tape (the opposite of {@link #isEnabled()}). */
    public static boolean isRecording() { return DEPTH.get()[0] == 0; }

    @Override public void close() {
        if (closed) return;
        closed = true;
        DEPTH.get()[0]--;
    }
}
