package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Which elements gradcheck checks of a parameter: all of a small one, else the corners and a seeded draw. */
class GradcheckElementsTest {

    @Test
    void aSmallParameterIsCheckedWhole() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, NncGradcheck.chosen(new int[] {2, 3}, 6, 6, new NncSupport.SplitMix64(1)));
        assertArrayEquals(new int[] {0}, NncGradcheck.chosen(new int[0], 1, 1000, new NncSupport.SplitMix64(1)));
    }

    @Test
    void aLargeOneGivesTheCornersAndDistinctSeededElements() {
        int[] some = NncGradcheck.chosen(new int[] {300, 40}, 12_000, 50, new NncSupport.SplitMix64(7));
        assertEquals(50, some.length);
        assertEquals(50, Arrays.stream(some).distinct().count());
        for (int i = 1; i < some.length; i++) {
            assertTrue(some[i - 1] < some[i], "increasing");
        }
        for (int corner : new int[] {0, 39, 299 * 40, 11_999}) {
            assertTrue(Arrays.binarySearch(some, corner) >= 0, "corner " + corner + " in " + Arrays.toString(some));
        }
        assertArrayEquals(some, NncGradcheck.chosen(new int[] {300, 40}, 12_000, 50, new NncSupport.SplitMix64(7)), "seeded");
        assertNotEquals(Arrays.toString(some),
                Arrays.toString(NncGradcheck.chosen(new int[] {300, 40}, 12_000, 50, new NncSupport.SplitMix64(8))));
        // fewer than the corners: the first ones of them
        assertArrayEquals(new int[] {0, 11_999}, NncGradcheck.chosen(new int[] {300, 40}, 12_000, 2, new NncSupport.SplitMix64(7)));
        int[] vector = NncGradcheck.chosen(new int[] {5000}, 5000, 3, new NncSupport.SplitMix64(7));
        assertEquals(3, vector.length);
        assertTrue(vector[0] == 0 && vector[2] == 4999, Arrays.toString(vector));
    }
}
