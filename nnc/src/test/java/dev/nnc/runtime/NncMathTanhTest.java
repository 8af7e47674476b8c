package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The float tanh ({@link NncMath#tanh(float)}, a rational function the JIT vectorizes) against
 * {@link Math#tanh} rounded to float: within 7 ulps over a stride through every positive and negative
 * float (subnormals included), 0.1 ulp or less on average, odd, exact at 0, saturated at +-1, NaN for NaN.
 */
class NncMathTanhTest {

    @Test
    void withinSevenUlpsOfTanhOverTheFloats() {
        double worst = 0;
        double sum = 0;
        long count = 0;
        for (int bits = 1; bits < 0x7f800000; bits += 997) { // every 997th finite float
            float x = Float.intBitsToFloat(bits);
            for (float y : new float[] {x, -x}) {
                float expected = (float) Math.tanh(y);
                float got = NncMath.tanh(y);
                double ulps = Math.abs((double) got - expected) / Math.ulp(expected);
                worst = Math.max(worst, ulps);
                sum += ulps;
                count++;
                assertEquals(-NncMath.tanh(-y), got, "odd at " + y);
            }
        }
        assertTrue(worst <= 7, "worst " + worst + " ulps");
        assertTrue(sum / count <= 0.1, "mean " + sum / count + " ulps");
    }

    @Test
    void edges() {
        assertEquals(0f, NncMath.tanh(0f));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(NncMath.tanh(-0f)));
        assertEquals(1e-30f, NncMath.tanh(1e-30f));
        assertEquals(Float.MIN_VALUE, NncMath.tanh(Float.MIN_VALUE));
        assertEquals(1f, NncMath.tanh(20f));
        assertEquals(-1f, NncMath.tanh(-20f));
        assertEquals(1f, NncMath.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, NncMath.tanh(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(NncMath.tanh(Float.NaN)));
        assertEquals(Math.tanh(0.5), NncMath.tanh(0.5), 0.0, "the double tanh is Math.tanh");
    }
}
