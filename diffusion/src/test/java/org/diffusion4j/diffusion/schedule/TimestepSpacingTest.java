package org.diffusion4j.diffusion.schedule;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TimestepSpacingTest {
    /** Lin et al. 2023, Table 2 (T = 1000, S = 10), in the paper's 1-based timesteps, ascending. */
    private static final int[] LINSPACE = {1, 112, 223, 334, 445, 556, 667, 778, 889, 1000};
    private static final int[] LEADING = {1, 101, 201, 301, 401, 501, 601, 701, 801, 901};
    private static final int[] TRAILING = {100, 200, 300, 400, 500, 600, 700, 800, 900, 1000};

    @Test
    void spacingsMatchThePapersTable() {
        assertArrayEquals(descendingZeroBased(LINSPACE), TimestepSpacing.LINSPACE.timesteps(1000, 10));
        assertArrayEquals(descendingZeroBased(LEADING), TimestepSpacing.LEADING.timesteps(1000, 10));
        assertArrayEquals(descendingZeroBased(TRAILING), TimestepSpacing.TRAILING.timesteps(1000, 10));
    }

    @Test
    void oddSizesGiveDistinctDescendingIndicesInRange() {
        for (TimestepSpacing sp : TimestepSpacing.values()) {
            for (int s : new int[]{1, 3, 17, 33}) {
                int[] ts = sp.timesteps(1000, s);
                assertEquals(s, ts.length);
                for (int k = 0; k < s; k++) {
                    assertTrue(ts[k] >= 0 && ts[k] <= 999);
                    if (k > 0) assertTrue(ts[k] < ts[k - 1]);
                }
                // numpy.linspace(0, T-1, 1) is [0], so one linspace step is timestep 0, as in diffusers
                if (sp == TimestepSpacing.TRAILING || (sp == TimestepSpacing.LINSPACE && s > 1)) {
                    assertEquals(999, ts[0], sp + " must start at the last timestep");
                }
            }
        }
        assertArrayEquals(new int[]{2, 1, 0}, TimestepSpacing.TRAILING.timesteps(3, 3));
    }

    /**
     * Values printed by numpy 2.4.6 for T = 1000, S = 7, the diffusers expressions of each family; S = 7 has the exact
     * halves 166.5, 499.5 and 832.5 that round half to even (166, 500, 832), unlike Math.round.
     */
    @Test
    void spacingsReproduceNumpyAsDiffusersCallsIt() {
        // DDIM: np.linspace(0, 999, 7).round()[::-1]
        assertArrayEquals(new int[]{999, 832, 666, 500, 333, 166, 0}, TimestepSpacing.LINSPACE.timesteps(1000, 7));
        // Euler: np.linspace(0, 999, 7)[::-1], unrounded
        assertArrayEquals(new double[]{999, 832.5, 666, 499.5, 333, 166.5, 0},
                TimestepSpacing.LINSPACE.timesteps(1000, 7, TimestepSpacing.Family.EULER));
        // DPM-Solver, UniPC: np.linspace(0, 999, 8).round()[::-1][:-1]
        assertArrayEquals(new double[]{999, 856, 714, 571, 428, 285, 143},
                TimestepSpacing.LINSPACE.timesteps(1000, 7, TimestepSpacing.Family.MULTISTEP));
        // (np.arange(0, 8) * (1000 // 8)).round()[::-1][:-1]
        assertArrayEquals(new double[]{875, 750, 625, 500, 375, 250, 125},
                TimestepSpacing.LEADING.timesteps(1000, 7, TimestepSpacing.Family.MULTISTEP));
        // np.arange(1000, 0, -1000 / 7).round() - 1, the same in every family
        assertArrayEquals(new int[]{999, 856, 713, 570, 428, 285, 142}, TimestepSpacing.TRAILING.timesteps(1000, 7));
        assertArrayEquals(new int[]{999, 666, 332}, TimestepSpacing.TRAILING.timesteps(1000, 3));
        assertArrayEquals(new int[]{0}, TimestepSpacing.LINSPACE.timesteps(1000, 1));
    }

    @Test
    void badStepCountsAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> TimestepSpacing.LINSPACE.timesteps(10, 11));
        assertTrue(e.getMessage().contains("11"));
        assertThrows(IllegalArgumentException.class, () -> TimestepSpacing.byName("middle"));
        assertEquals(TimestepSpacing.TRAILING, TimestepSpacing.byName("trailing"));
    }

    private static int[] descendingZeroBased(int[] ascendingOneBased) {
        int n = ascendingOneBased.length;
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = ascendingOneBased[n - 1 - i] - 1;
        return r;
    }
}
