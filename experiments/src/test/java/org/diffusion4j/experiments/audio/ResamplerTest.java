package org.diffusion4j.experiments.audio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ResamplerTest {
    /** A tone below both Nyquist frequencies comes out as the same tone sampled at the new rate. */
    @Test void keepsATonePassband() {
        int in = 22050, out = 8000;
        double f = 440, phase = 0.3;
        double[] x = new double[in / 4];
        for (int i = 0; i < x.length; i++) x[i] = Math.sin(2 * Math.PI * f * i / in + phase);
        double[] y = Resampler.resample(x, in, out);
        assertEquals((int) Math.floor(x.length * (double) out / in), y.length);
        double worst = 0;
        for (int m = 100; m < y.length - 100; m++) {            // away from the zero-padded ends
            worst = Math.max(worst, Math.abs(y[m] - Math.sin(2 * Math.PI * f * m / out + phase)));
        }
        assertTrue(worst < 5e-3, "largest error " + worst);
    }

    /** A tone above the new Nyquist frequency (5 kHz into 8 kHz) is removed rather than folded to 3 kHz. */
    @Test void removesWhatWouldAlias() {
        int in = 16000, out = 8000;
        double[] x = new double[4000];
        for (int i = 0; i < x.length; i++) x[i] = Math.sin(2 * Math.PI * 5000 * i / in);
        double[] y = Resampler.resample(x, in, out);
        double energy = 0;
        for (int m = 100; m < y.length - 100; m++) energy += y[m] * y[m];
        double rms = Math.sqrt(energy / (y.length - 200));
        assertTrue(rms < 0.01, "rms after resampling " + rms + " (0.707 if it aliased)");
    }

    @Test void rejectsBadRates() {
        var e = assertThrows(IllegalArgumentException.class, () -> Resampler.resample(new double[4], 0, 8000));
        assertTrue(e.getMessage().contains("0 -> 8000"));
    }
}
