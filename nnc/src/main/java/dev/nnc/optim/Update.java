package dev.nnc.optim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An optimizer's step as data, for one parameter element: state buffers (zero before the first
 * step), scalars computed once per step, then assignments in order, ending with the parameter's new
 * value. The emitter prints it as the update loop and as the dry run that tests the new values;
 * {@link #text()} prints it as a reader would write it:
 *
 * <pre>
 *   sgd(lr = 0.1, momentum = 0.9)  -&gt;  buf = 0.9 * buf + g
 *                                     p = p - lr * buf
 * </pre>
 *
 * Reads follow the order of the program: a buffer read after its assignment is its new value.
 *
 * @param buffers the state buffers, in declaration order
 * @param scalars the per-step scalars, each assigned once ({@link Term.Scalar} targets)
 * @param element the per-element assignments ({@link Term.Local} or {@link Term.State} targets)
 * @param next    the parameter element's new value
 */
public record Update(List<Buffer> buffers, List<Let> scalars, List<Let> element, Term next) {

    /** A state buffer with one element per parameter element; {@code doc} says what it holds. */
    public record Buffer(String name, String doc) {}

    /** {@code target = value}. */
    public record Let(Term target, Term value) {
        public String name() {
            return target instanceof Term.Local l ? l.name() : target instanceof Term.State s ? s.name() : ((Term.Scalar) target).name();
        }
    }

    public Update {
        buffers = List.copyOf(buffers);
        scalars = List.copyOf(scalars);
        element = List.copyOf(element);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether a scalar uses the step count, so that the trainer keeps one. */
    public boolean countsSteps() {
        return scalars.stream().anyMatch(s -> Terms.uses(s.value(), Term.Leaf.STEP));
    }

    /** Whether the element program reads {@code scalar} (then the trainer computes it in its own precision). */
    public boolean elementReads(Term.Scalar scalar) {
        return element.stream().anyMatch(l -> Terms.uses(l.value(), scalar)) || Terms.uses(next, scalar);
    }

    /** One assignment a line: {@code bias1 = 1 - 0.9^t}, ..., {@code p = p - stepSize * m / denom}. */
    public String text() {
        StringBuilder b = new StringBuilder();
        for (Let let : scalars) {
            b.append(let.name()).append(" = ").append(Terms.text(let.value())).append('\n');
        }
        for (Let let : element) {
            b.append(let.name()).append(" = ").append(Terms.text(let.value())).append('\n');
        }
        return b.append(Term.Leaf.PARAM.text()).append(" = ").append(Terms.text(next)).append('\n').toString();
    }

    /**
     * Builds an update in program order, checking as it goes: a name is given once, a local or
     * scalar is assigned before it is read, a buffer is declared before it is used and assigned at
     * most once, and scalars read neither elements nor the step's intermediates.
     */
    public static final class Builder {
        private final List<Buffer> buffers = new ArrayList<>();
        private final List<Let> scalars = new ArrayList<>();
        private final List<Let> element = new ArrayList<>();
        private final Set<String> names = new HashSet<>(Set.of("p", "g", "lr", "t"));
        private final Set<Term> defined = new HashSet<>();
        private final Set<String> assignedBuffers = new HashSet<>();

        private Builder() {}

        public Term.State buffer(String name, String doc) {
            claim(name);
            buffers.add(new Buffer(name, doc));
            Term.State s = new Term.State(name);
            defined.add(s);
            return s;
        }

        public Term.Scalar scalar(String name, Term value) {
            if (!element.isEmpty()) {
                throw new IllegalStateException("scalar " + name + " after the element program began");
            }
            require(value, true);
            claim(name);
            Term.Scalar s = new Term.Scalar(name);
            scalars.add(new Let(s, value));
            defined.add(s);
            return s;
        }

        public Term.Local let(String name, Term value) {
            require(value, false);
            claim(name);
            Term.Local l = new Term.Local(name);
            element.add(new Let(l, value));
            defined.add(l);
            return l;
        }

        public void set(Term.State buffer, Term value) {
            require(value, false);
            if (!defined.contains(buffer) || !assignedBuffers.add(buffer.name())) {
                throw new IllegalStateException("buffer " + buffer.name() + " is undeclared or assigned twice");
            }
            element.add(new Let(buffer, value));
        }

        public Update next(Term value) {
            require(value, false);
            return new Update(buffers, scalars, element, value);
        }

        private void claim(String name) {
            if (!names.add(name)) {
                throw new IllegalStateException("the name " + name + " is given twice in one update");
            }
        }

        private void require(Term value, boolean perStep) {
            String problem = Terms.misplaced(value, defined, perStep);
            if (problem != null) {
                throw new IllegalStateException(problem + " in " + Terms.text(value));
            }
        }
    }
}
