package org.diffusion4j.tensor.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** erf and erfc against published values (Abramowitz and Stegun Table 7.1; high-precision values from DLMF/Wolfram). */
class SpecialFunctionsTest {

    private static void close(double expected, double actual, double relTol, String what) {
        assertEquals(expected, actual, relTol * Math.abs(expected), what);
    }

    @Test
    void erfAtKnownPoints() {
        double[][] known = {
                {0.1, 0.1124629160182849},
                {0.5, 0.5204998778130465},
                {1.0, 0.8427007929497149},
                {1.5, 0.9661051464753108},
                {2.0, 0.9953222650189527},
                {2.5, 0.9995930479825550},
                {3.0, 0.9999779095030014},
                {4.0, 0.9999999845827421},
        };
        for (double[] k : known) {
            close(k[1], SpecialFunctions.erf(k[0]), 4e-16, "erf(" + k[0] + ")");
            close(-k[1], SpecialFunctions.erf(-k[0]), 4e-16, "erf(-" + k[0] + ") is odd");
        }
        assertEquals(0.0, SpecialFunctions.erf(0.0));
        assertEquals(1.0, SpecialFunctions.erf(7.0));
        assertEquals(-1.0, SpecialFunctions.erf(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(SpecialFunctions.erf(Double.NaN)));
        // the slope at 0 is 2/sqrt(pi)
        close(2 / Math.sqrt(Math.PI) * 1e-9, SpecialFunctions.erf(1e-9), 1e-15, "erf near 0");
    }

    @Test
    void erfcKeepsRelativePrecisionInTheTail() {
        double[][] known = {
                {2.0, 4.677734981047266e-3},
                {3.0, 2.209049699858544e-5},
                {5.0, 1.537459794428035e-12},
                {10.0, 2.088487583762545e-45},
        };
        for (double[] k : known) close(k[1], SpecialFunctions.erfc(k[0]), 1e-14, "erfc(" + k[0] + ")");
        close(2 - 4.677734981047266e-3, SpecialFunctions.erfc(-2.0), 1e-15, "erfc(-2)");
        assertEquals(1.0, SpecialFunctions.erfc(0.0));
    }

    @Test
    void normalCdfAtQuantiles() {
        close(0.5, SpecialFunctions.normalCdf(0), 1e-16, "Phi(0)");
        close(0.9750021048517795, SpecialFunctions.normalCdf(1.96), 1e-15, "Phi(1.96)");
        close(0.022750131948179195, SpecialFunctions.normalCdf(-2), 1e-14, "Phi(-2)");
    }
}
