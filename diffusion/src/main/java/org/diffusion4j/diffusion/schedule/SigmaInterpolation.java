package org.diffusion4j.diffusion.schedule;

import java.util.Locale;

/** How a discrete schedule's noise level is read at a fractional timestep t between integers lo = floor(t) and lo + 1. */
public enum SigmaInterpolation {
    /** log sigma linear in t (k-diffusion's t_to_sigma; {@link DiscreteSchedule#noiseLevel}). */
    LOG,
    /** sigma linear in t (numpy.interp over the sigma table, as diffusers' Euler, Heun and LMS schedulers). */
    LINEAR;

    public double sigma(DiscreteSchedule schedule, double t) {
        if (this == LOG) return schedule.noiseLevel(t);
        int lo = (int) Math.floor(t);
        if (lo == t) return schedule.sigma(lo);
        double a = schedule.sigma(lo), b = schedule.sigma(lo + 1);
        return a + (t - lo) * (b - a);
    }

    public static SigmaInterpolation byName(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "log", "log-sigma" -> LOG;
            case "linear" -> LINEAR;
            default -> throw new IllegalArgumentException("unknown sigma interpolation '" + name + "': expected log or linear");
        };
    }
}
