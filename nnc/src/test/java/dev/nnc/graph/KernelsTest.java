package dev.nnc.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The kernels on their own, at the extremes of f64 (the models through them: {@code StabilityTest}). */
class KernelsTest {

    @Test
    void kernelsAtTheExtremes() {
        assertEquals(800, Kernels.logsumexp(new double[] {800, 0, -800}));
        assertEquals(Double.MAX_VALUE, Kernels.logsumexp(new double[] {Double.MAX_VALUE, Double.MAX_VALUE / 2}));
        assertEquals(-1e308, Kernels.logsumexp(new double[] {-1e308, -1e308 * 1.5}));
        assertEquals(1.0, dev.nnc.runtime.NncMath.sigmoid(1000.0));
        assertEquals(0.0, dev.nnc.runtime.NncMath.sigmoid(-1000.0));
        assertEquals(Math.exp(-700) / (1 + Math.exp(-700)), dev.nnc.runtime.NncMath.sigmoid(-700.0));
        assertTrue(dev.nnc.runtime.NncMath.sigmoid(-745.0) > 0, "sigmoid(-745.0) is the subnormal exp(-745), not 0");
    }
}
