package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class NncArraysTest {

    /** Every element lands at its mirrored place, for row counts below, at and off a multiple of eight. */
    @Test
    void transposeMirrorsEveryElement() {
        for (int rows : new int[] {1, 7, 8, 13, 16, 21}) {
            for (int cols : new int[] {1, 3, 10}) {
                float[][] a = new float[rows][cols];
                double[][] d = new double[rows][cols];
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        a[i][j] = i * 100 + j;
                        d[i][j] = i * 100 + j + 0.5;
                    }
                }
                float[][] t = NncArrays.transpose(a, null);
                double[][] dt = NncArrays.transpose(d, null);
                assertEquals(cols, t.length);
                assertEquals(rows, t[0].length);
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        assertEquals(a[i][j], t[j][i], rows + "x" + cols + " at " + i + ", " + j);
                        assertEquals(d[i][j], dt[j][i], rows + "x" + cols + " at " + i + ", " + j);
                    }
                }
                a[rows - 1][cols - 1] = -1;
                assertSame(t, NncArrays.transpose(a, t), "an array given is filled, not replaced");
                assertEquals(-1, t[cols - 1][rows - 1]);
            }
        }
    }
}
