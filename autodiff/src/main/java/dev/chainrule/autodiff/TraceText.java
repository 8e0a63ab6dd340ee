package dev.chainrule.autodiff;

import dev.chainrule.autodiff.BackwardTrace.Input;
import dev.chainrule.autodiff.BackwardTrace.Step;
import dev.chainrule.core.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A {@link BackwardTrace} as text, a step a paragraph: the node, then one line per input that got a gradient.
 * An edge between scalars reads as the chain rule, {@code ∂E/∂net = ∂E/∂out · ∂out/∂net = 0.74 · 0.19 = 0.14};
 * any other as the gradient's shape and norm. An input that receives several shares (fan-out) shows each with
 * {@code +=}, as the engine adds them.
 */
final class TraceText {
    private static final String INDENT = "    ";

    private final String loss;
    private final List<Step> steps;
    private final Map<Variable, List<Tensor>> received;

    TraceText(String loss, List<Step> steps, Map<Variable, List<Tensor>> received) {
        this.loss = loss;
        this.steps = steps;
        this.received = received;
    }

    /** ∂a/∂b. */
    static String partial(String a, String b) {
        return "∂" + a + "/∂" + b;
    }

    String render() {
        StringBuilder text = new StringBuilder();
        for (Step step : steps) {
            text.append(step.index()).append(". ").append(Labels.withShape(step.label(), step.output()))
                    .append(" = ").append(step.kind()).append('(').append(String.join(", ", step.arguments()))
                    .append(")\n");
            if (step.upstream().size() != 1) {
                text.append(INDENT).append("upstream ").append(partial(loss, step.label())).append(" = ")
                        .append(Figures.summary(step.upstream())).append('\n');
            }
            for (Input in : step.inputs()) {
                text.append(INDENT).append(line(step, in)).append('\n');
            }
        }
        return text.toString();
    }

    private String line(Step step, Input in) {
        String gradient = partial(loss, in.label()) + (received.get(in.variable()).size() > 1 ? " += " : " = ");
        if (step.upstream().size() != 1 || in.gradient().size() != 1) {
            return gradient + Figures.summary(in.gradient());
        }
        String local = in.local().isPresent() ? Figures.figure(in.local().getAsDouble()) : "? (0/0: the upstream is 0)";
        return gradient + partial(loss, step.label()) + " · " + partial(step.label(), in.label()) + " = "
                + Figures.figure(step.upstream().item()) + " · " + local + " = "
                + Figures.figure(in.gradient().item());
    }
}
