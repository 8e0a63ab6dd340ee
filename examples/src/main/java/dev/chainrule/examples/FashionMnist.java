package dev.chainrule.examples;

import dev.chainrule.core.Randoms;
import dev.chainrule.nn.Init;
import dev.chainrule.nn.MlpSpec;
import dev.chainrule.nn.Sequential;
import dev.chainrule.nn.data.Dataset;
import dev.chainrule.nn.data.FashionMnistFiles;
import dev.chainrule.nn.data.Standardizer;
import dev.chainrule.nn.io.Models;
import dev.chainrule.nn.optim.Adam;
import dev.chainrule.nn.optim.LearningRate;
import dev.chainrule.nn.train.EpochLog;
import dev.chainrule.nn.train.Evaluation;
import dev.chainrule.nn.train.Loss;
import dev.chainrule.nn.train.ProgressBarListener;
import dev.chainrule.nn.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Trains a 784-256-128-10 MLP on Fashion-MNIST (the Debian package {@code dataset-fashion-mnist}) and prints its
 * test accuracy. Arguments, all optional: the number of epochs (20), the data folder (the package's), and a model
 * file to save the trained network to, standardization included, so that the file alone predicts from raw images.
 */
public final class FashionMnist {
    public static void main(String[] args) throws IOException {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path folder = args.length > 1 ? Path.of(args[1]) : FashionMnistFiles.DEBIAN_DIRECTORY;
        Dataset train = FashionMnistFiles.train(folder);
        Dataset test = FashionMnistFiles.test(folder);
        Standardizer standardizer = Standardizer.fit(train);      // fitted on the training images only

        MlpSpec spec = MlpSpec.parse("mlp 784-256-128-10 relu dropout 0.1/0.2 standardized");
        // μ and σ as the first layer: each batch is standardized as it passes, and the model file keeps them
        Sequential net = spec.build(Init.epsilonUniform(), Randoms.seeded(42), standardizer.asModule());
        int batch = 128;
        int steps = epochs * ((train.size() + batch - 1) / batch);
        Adam adam = Adam.adam(net.parameters(), LearningRate.cosine(1e-3, 0, steps));
        Trainer.of(net, adam, Loss.softmaxCrossEntropy()).epochs(epochs).batchSize(batch).seed(42)
                .listener(ProgressBarListener.forTerminal()).listener(new EpochLog(System.out)).fit(train);

        Evaluation result = Evaluation.of(net, test, Loss.softmaxCrossEntropy(), 1000);
        System.out.printf("test accuracy: %.4f%n", result.accuracy());
        if (args.length > 2) {
            Models.save(Path.of(args[2]), net, spec.toString()); // μ and σ too: Models.loadMlp takes raw images
        }
    }
}
