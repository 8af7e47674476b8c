package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.tensor.Shape;
import dev.nnc.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Large tensors print abbreviated, as numpy prints them (threshold 1,000 elements, 3 edge items
 * per long dimension), unless asked for in full; small ones print whole.
 */
class TensorTextTest {

    /** A tensor of {@code dims} holding 0, 1, 2, ... */
    private static Tensor counting(int... dims) {
        Shape shape = Shape.of(dims);
        double[] values = new double[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        return new Tensor(shape, values);
    }

    @Test
    void aLongVectorShowsItsEnds() {
        assertEquals("[0, 1, 2, ..., 1998, 1999, 2000]", TensorText.format(counting(2001), 0));
        String full = TensorText.format(counting(2001), 0, true);
        assertTrue(full.startsWith("[0, 1, 2, 3, 4,") && full.endsWith("1999, 2000]") && !full.contains("..."), full);
        assertFalse(TensorText.format(counting(1000), 0).contains("..."), "1,000 elements print whole");
    }

    @Test
    void aLargeMatrixShowsTheCornersOfItsLongDimensions() {
        String text = TensorText.format(counting(100, 20), 2);
        assertEquals(String.join("\n",
                "[[   0,    1,    2, ...,   17,   18,   19],",
                "   [  20,   21,   22, ...,   37,   38,   39],",
                "   [  40,   41,   42, ...,   57,   58,   59],",
                "   ...,",
                "   [1940, 1941, 1942, ..., 1957, 1958, 1959],",
                "   [1960, 1961, 1962, ..., 1977, 1978, 1979],",
                "   [1980, 1981, 1982, ..., 1997, 1998, 1999]]"), text);
        // a short dimension stays whole, as in numpy
        String narrow = TensorText.format(counting(400, 4), 0);
        assertTrue(narrow.startsWith("[[   0,    1,    2,    3],\n [   4,    5,    6,    7],"), narrow);
        assertFalse(narrow.contains(", ..."), "the four columns whole: " + narrow);
        assertEquals(7, narrow.lines().count(), narrow);
        assertEquals(400, TensorText.format(counting(400, 4), 0, true).lines().count());
    }

    @Test
    void assignmentsAbbreviateUnlessFull() {
        List<String> names = List.of("W");
        List<Tensor> values = List.of(counting(50, 50));
        assertTrue(TensorText.assignments(names, values, "  ").contains("..."));
        assertFalse(TensorText.assignments(names, values, "  ", true).contains("..."));
        assertEquals(50 * 50, ((List<?>) TensorText.json(counting(2500))).size(), "JSON is never abbreviated");
    }
}
