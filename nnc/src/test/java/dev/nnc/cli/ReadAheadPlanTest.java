package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nnc.Pipeline;
import dev.nnc.diag.SourceFile;
import dev.nnc.runtime.Support;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a cached trainer keeps of its model for reading its data ahead ({@link ReadAhead.Plan}): written and read back whole. */
class ReadAheadPlanTest {

    @Test
    void aPlanReadsBackAsItWasWritten() {
        ReadAhead.Plan plan = new ReadAhead.Plan(true, "idx(\"a b\\\\c.gz\", \"l\\\"n\nx.gz\")", null,
                List.of(Support.Variable.input("x", 784), Support.Variable.target("t", 3), Support.Variable.onehot("y", 10)));
        assertEquals(plan, ReadAhead.Plan.decode(plan.encode()));
    }

    @Test
    void aModelsPlanHasItsFilesAndVariables() {
        ReadAhead.Plan plan = ReadAhead.Plan.of(Pipeline.check(new SourceFile("m.nn", """
                model m {
                    input  x[3]
                    target y[4] onehot
                    out  = dense(x, 4)
                    loss = cross_entropy(out, y)
                    train { optimizer = sgd(lr = 0.1); data = "d.csv"; test = "t.csv" }
                }
                """), null));
        assertEquals(new ReadAhead.Plan(false, "d.csv", "t.csv", List.of(Support.Variable.input("x", 3),
                Support.Variable.onehot("y", 4))), plan);
        assertEquals(plan, ReadAhead.Plan.decode(plan.encode()));
    }

    @Test
    void anythingElseIsNoPlan() {
        assertNull(ReadAhead.Plan.decode(""));
        assertNull(ReadAhead.Plan.decode("plan 2\nfalse\n-\n-\n"));
        assertNull(ReadAhead.Plan.decode("plan 1\nfalse\n-\n-\nx notanumber false 0\n"));
    }
}
