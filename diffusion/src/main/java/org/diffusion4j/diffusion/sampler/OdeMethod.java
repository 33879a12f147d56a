package org.diffusion4j.diffusion.sampler;

import java.util.Locale;

/** Fixed-step explicit Runge-Kutta methods for the probability-flow ODE, with their evaluations per step. */
public enum OdeMethod {
    /** x + h f(x, t): first order, 1 evaluation. */
    EULER(1),
    /** Heun's method (explicit trapezoid): second order, 2 evaluations. */
    HEUN(2),
    /** The classical fourth-order Runge-Kutta method, 4 evaluations. */
    RK4(4);

    private final int evaluations;

    OdeMethod(int evaluations) { this.evaluations = evaluations; }

    public int evaluationsPerStep() { return evaluations; }

    public static OdeMethod byName(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown ODE method '" + name + "': expected euler, heun or rk4");
        }
    }
}
