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
                if (sp != TimestepSpacing.LEADING) assertEquals(999, ts[0], sp + " must start at the last timestep");
            }
        }
        assertArrayEquals(new int[]{2, 1, 0}, TimestepSpacing.TRAILING.timesteps(3, 3));
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
