package dev.nnc.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Index}: the elements a slice takes, its adjoint's scatter, composition, transposition and printing. */
class IndexTest {

    static final Shape M = Shape.of(3, 4);
    /** W[i][j] = 10 i + j, row-major. */
    static final double[] W = {0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23};

    static Index of(Shape s, Index.Axis... axes) {
        return new Index(s, List.of(axes));
    }

    @Test
    void gathersWhatNumpyTakes() {
        assertArrayEquals(new double[] {0, 10, 20}, of(M, Index.Axis.range(0, 3), Index.Axis.point(0)).gather(W)); // W[:, 0]
        assertArrayEquals(new double[] {10, 11, 12, 13}, of(M, Index.Axis.point(1), Index.Axis.range(0, 4)).gather(W)); // W[1]
        assertArrayEquals(new double[] {11, 12, 21, 22}, of(M, Index.Axis.range(1, 3), Index.Axis.range(1, 3)).gather(W));
        assertArrayEquals(new double[] {23}, of(M, Index.Axis.point(2), Index.Axis.point(3)).gather(W));
        assertArrayEquals(new double[] {2, 3, 4}, of(Shape.of(8), Index.Axis.range(2, 5)).gather(new double[] {0, 1, 2, 3, 4, 5, 6, 7}));
    }

    @Test
    void scatterPutsTheElementsBackAmongZeros() {
        Index block = of(M, Index.Axis.range(1, 3), Index.Axis.range(1, 3));
        double[] back = block.scatter(block.gather(W));
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 11, 12, 0, 0, 21, 22, 0}, back);
        assertEquals(Shape.of(2, 2), block.shape());
    }

    @Test
    void composesAndTransposes() {
        Index column = of(M, Index.Axis.range(0, 3), Index.Axis.point(0));
        Index firstTwo = of(Shape.of(3), Index.Axis.range(0, 2));
        Index both = column.then(firstTwo);
        assertEquals("[:2, 0] of [3, 4]", both.toString());
        assertArrayEquals(firstTwo.gather(column.gather(W)), both.gather(W));
        Index t = column.transposed();
        assertEquals("[0] of [4, 3]", t.toString()); // W'[0] is W[:, 0]
        assertArrayEquals(column.gather(W), t.gather(new double[] {0, 10, 20, 1, 11, 21, 2, 12, 22, 3, 13, 23}));
    }

    @Test
    void printsAsTheLanguageWritesIt() {
        assertEquals("2:5", of(Shape.of(8), Index.Axis.range(2, 5)).subscripts());
        assertEquals(":3", of(Shape.of(8), Index.Axis.range(0, 3)).subscripts());
        assertEquals("5:", of(Shape.of(8), Index.Axis.range(5, 8)).subscripts());
        assertEquals(":, 0", of(M, Index.Axis.range(0, 3), Index.Axis.point(0)).subscripts());
        assertEquals("1", of(M, Index.Axis.point(1), Index.Axis.range(0, 4)).subscripts());
        assertTrue(of(M, Index.Axis.range(0, 3), Index.Axis.range(0, 4)).isWhole());
        assertFalse(of(M, Index.Axis.range(0, 3), Index.Axis.range(0, 3)).isWhole());
    }

    @Test
    void rejectsAxesOutsideTheShape() {
        assertThrows(IllegalArgumentException.class, () -> of(Shape.of(3), Index.Axis.range(2, 4)));
        assertThrows(IllegalArgumentException.class, () -> of(Shape.of(3), Index.Axis.range(2, 2)));
        assertThrows(IllegalArgumentException.class, () -> of(M, Index.Axis.point(0)));
    }
}
