package dev.nnc.spark;

import dev.nnc.runtime.Model;
import dev.nnc.runtime.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Instances of generated model classes, by name, from the thread's context class loader (on an
 * executor: Spark's, which holds the jars the application added), and their weights as arrays.
 * An executor keeps one instance per task thread and class, so that a training job does not make
 * a model per partition and batch; its weights are set from the job's broadcast each time.
 */
final class Models {

    private static final ThreadLocal<Map<String, Model>> PER_THREAD = ThreadLocal.withInitial(HashMap::new);

    private Models() {}

    /** A new instance of {@code className}, its parameters initialized from {@code seed} (as {@code new C(seed)}). */
    static Model create(String className, long seed) {
        Model m = Model.of(className);
        try {
            return (Model) m.getClass().getConstructor(long.class).newInstance(seed);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(className + " has no public constructor (long seed), which every model nnc generates has", e);
        }
    }

    /** This thread's instance of {@code className} for training jobs, as the last job left it. */
    static Model ofThread(String className) {
        return PER_THREAD.get().computeIfAbsent(className, Model::of);
    }

    /** This thread's instance of {@code className}, with the weights {@code weights}. */
    static Model withWeights(String className, double[][] weights) {
        Model m = ofThread(className);
        setWeights(m, weights);
        return m;
    }

    /** This thread's instance of {@code className}, for {@code key}'s weights: set only when the key changed. */
    static Model forPredicting(String className, String key, double[][] weights) {
        Map<String, Model> cache = PER_THREAD.get();
        Model m = cache.get(key);
        if (m == null) {
            m = Model.of(className);
            setWeights(m, weights);
            cache.keySet().removeIf(k -> k.startsWith("predict:"));
            cache.put(key, m);
        }
        return m;
    }

    /** The parameters of {@code model}, flat, in the {@code .nn}'s order. */
    static double[][] weights(Model model) {
        List<Tensor> params = List.copyOf(model.parameters().values());
        double[][] w = new double[params.size()][];
        for (int p = 0; p < w.length; p++) {
            w[p] = params.get(p).doubleData();
        }
        return w;
    }

    static void setWeights(Model model, double[][] weights) {
        List<String> names = List.copyOf(model.parameters().keySet());
        if (weights.length != names.size()) {
            throw new IllegalArgumentException("weights has " + weights.length + " parameters; model " + model.schema().model() + " has "
                    + names.size());
        }
        for (int p = 0; p < weights.length; p++) {
            model.setParameter(names.get(p), weights[p]);
        }
    }
}
