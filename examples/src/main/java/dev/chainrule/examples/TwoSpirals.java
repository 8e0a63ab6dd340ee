package dev.chainrule.examples;

import dev.chainrule.core.Randoms;
import dev.chainrule.autodiff.Variable;
import dev.chainrule.examples.plot.GraphPictures;
import dev.chainrule.examples.plot.Plots;
import dev.chainrule.nn.Activation;
import dev.chainrule.nn.Init;
import dev.chainrule.nn.Linear;
import dev.chainrule.nn.Sequential;
import dev.chainrule.nn.data.Dataset;
import dev.chainrule.nn.data.Spirals;
import dev.chainrule.nn.optim.Adam;
import dev.chainrule.nn.optim.LearningRate;
import dev.chainrule.nn.train.Evaluation;
import dev.chainrule.nn.train.History;
import dev.chainrule.nn.train.Loss;
import dev.chainrule.nn.train.ProgressBarListener;
import dev.chainrule.nn.train.Trainer;
import dev.chainrule.nn.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.random.RandomGenerator;
import org.knowm.xchart.XYChart;

/**
 * chainrule's main job: a 2-32-32-2 ReLU network learns two interleaved spirals, a problem no straight line
 * separates, then draws what it learned. Writes {@code loss.png} (the loss per epoch) and
 * {@code decision-regions.png} (the class it predicts at every point of the plane, with the data on top) and
 * {@code graph.dot} (the network's graph with its values and gradients; {@code graph.svg} too where Graphviz is
 * installed) into the output folder. Arguments, both optional: the folder ({@code chainrule-out}) and the number
 * of epochs (100).
 */
public final class TwoSpirals {
    /** What a run reached, and where it drew it. */
    public record Result(History history, double testAccuracy, List<Path> pictures) {}

    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args.length > 0 ? args[0] : "chainrule-out");
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        run(folder, epochs, ProgressBarListener.wholeRunForTerminal(), System.out);
    }

    /**
     * Trains, evaluates and draws.
     *
     * @param folder where the pictures go; created if missing
     * @param epochs how many passes over the 800 training points
     * @param progress a listener that shows the run as it goes
     * @param out where to print the summary
     * @return the history, the accuracy on 400 fresh points, and the files written
     * @throws IOException if the folder or a picture cannot be written
     */
    public static Result run(Path folder, int epochs, TrainingListener progress, PrintStream out) throws IOException {
        Files.createDirectories(folder);                                      // before training: fail fast
        Dataset train = Spirals.generate(400, 1.5, 0.04, Randoms.seeded(1));
        Dataset test = Spirals.generate(200, 1.5, 0.04, Randoms.seeded(2));   // fresh points of the same spirals

        RandomGenerator random = Randoms.seeded(42);                          // symmetry-breaking random init
        Sequential net = new Sequential(new Linear(2, 32, Init.he(), random), Activation.relu(),
                new Linear(32, 32, Init.he(), random), Activation.relu(),
                new Linear(32, 2, Init.he(), random));
        int batch = 32;
        int steps = epochs * ((train.size() + batch - 1) / batch);
        Adam adam = Adam.adam(net.parameters(), LearningRate.cosine(0.01, 1e-4, steps));
        History history = Trainer.of(net, adam, Loss.softmaxCrossEntropy()).epochs(epochs).batchSize(batch)
                .seed(42).listener(progress).fit(train);

        double accuracy = Evaluation.of(net, test, Loss.softmaxCrossEntropy(), test.size()).accuracy();
        out.printf("two spirals: 2-32-32-2 ReLU network, %d epoch%s, final training loss %.4f%n", epochs,
                epochs == 1 ? "" : "s",
                history.last().loss());
        out.printf("test accuracy: %.4f (%d fresh points)%n", accuracy, test.size());

        Path loss = folder.resolve("loss.png");
        Path regions = folder.resolve("decision-regions.png");
        Plots.savePng(Plots.lossCurve(history), loss);
        XYChart picture = Plots.decisionRegions(net, test, 100);
        picture.setTitle(String.format("Two spirals: what the network predicts (test accuracy %.4f)", accuracy));
        Plots.savePng(picture, regions);
        List<Path> written = new ArrayList<>(List.of(loss, regions));

        // The network's graph, its values and gradients after one pass over four test points.
        Dataset four = test.subset(0, 1, 2, 3);
        Variable fourLoss = Loss.softmaxCrossEntropy().of(net.forward(Variable.constant(four.features())), four);
        written.addAll(GraphPictures.write(GraphPictures.traced(fourLoss), folder, "graph"));
        out.println("wrote " + String.join(", ", written.stream().map(Path::toString).toList()));
        return new Result(history, accuracy, written);
    }
}
