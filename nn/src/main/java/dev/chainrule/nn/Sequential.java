package dev.chainrule.nn;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.chainrule.autodiff.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * Modules applied one after the other, named {@code layer1}, {@code layer2}, … in order (activations count too),
 * so that a network's parameters read {@code layer1.W}, {@code layer1.b}, {@code layer3.W}, ….
 */
public final class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    /**
     * @param layers the modules, in the order their outputs feed each other; at least one
     */
    public Sequential(Module... layers) {
        checkNotNull(layers, "Sequential: layers is null");
        checkArgument(layers.length > 0, "Sequential: needs at least one layer");
        for (int i = 0; i < layers.length; i++) {
            this.layers.add(add("layer" + (i + 1), checkNotNull(layers[i], "Sequential: layer %s is null", i + 1)));
        }
    }

    /**
     * @param x the first layer's input
     * @return the last layer's output
     */
    @Override
    public Variable forward(Variable x) {
        Variable h = x;
        for (Module layer : layers) {
            h = layer.forward(h);
        }
        return h;
    }

    /**
     * @return the layers, in order, in a new list
     */
    public List<Module> layers() {
        return new ArrayList<>(layers);
    }
}
