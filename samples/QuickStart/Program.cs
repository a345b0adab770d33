using System.Diagnostics;
using System.Globalization;
using DataLocator = Microsoft.ML.Sequence.Data.DataLocator;
using QuickStart;
using TorchSharp;
using static TorchSharp.torch;

// Quick start: a BiLSTM sentiment classifier on the UCI "Sentiment Labelled Sentences" (Yelp, IMDB, Amazon), written
// directly against TorchSharp and our modules (torch.optim.Adam, clip_grad_norm_, dispose scopes, our BiLSTM). 80% of the sentences train (10% of those pick the epoch), 20% are scored once.
// Usage: dotnet run -c Release --project samples/QuickStart [--data DIR] [--seed N] [--epochs N]
const int EmbeddingSize = 100, HiddenSize = 100, BatchSize = 32;
const double LearningRate = 2e-3, Dropout = 0.5, ClipNorm = 1.0;

string? dataOption = OptionValue(args, "--data");
ulong seed = ulong.Parse(OptionValue(args, "--seed") ?? "1", CultureInfo.InvariantCulture);
int maxEpochs = int.Parse(OptionValue(args, "--epochs") ?? "15", CultureInfo.InvariantCulture);

string sentimentDirectory;
try
{
    sentimentDirectory = dataOption is not null ? Path.Combine(dataOption, "sentiment") : DataLocator.GetPath("sentiment");
    foreach (string file in SentenceData.Files)
    {
        if (!File.Exists(Path.Combine(sentimentDirectory, file)))
        {
            throw new FileNotFoundException($"Missing {Path.Combine(sentimentDirectory, file)}");
        }
    }
}
catch (IOException e)
{
    Console.Error.WriteLine($"The UCI sentiment data was not found: expected {string.Join(", ", SentenceData.Files)} in <data>/sentiment/.");
    Console.Error.WriteLine($"Pass --data <data directory> or set {DataLocator.EnvironmentVariable}.");
    Console.Error.WriteLine(e.Message);
    return 2;
}

var random = new Random((int)seed);
List<LabelledSentence> all = SentenceData.Load(sentimentDirectory);
LabelledSentence[] shuffled = all.OrderBy(_ => random.Next()).ToArray();
int testCount = shuffled.Length / 5;
LabelledSentence[] test = shuffled[..testCount];
LabelledSentence[] trainAll = shuffled[testCount..];
int validationCount = trainAll.Length / 10;
LabelledSentence[] validation = trainAll[..validationCount];
LabelledSentence[] train = trainAll[validationCount..];
var vocabulary = new Vocabulary(train.SelectMany(s => SentenceData.Tokenize(s.Text)));
Console.WriteLine($"UCI sentences: {train.Length} train, {validation.Length} validation, {test.Length} test; vocabulary {vocabulary.Count:N0}");

using var model = new BiLstmClassifier(vocabulary.Count, EmbeddingSize, HiddenSize, classes: 2, Dropout, new Generator(seed, CPU));
using var optimizer = optim.Adam(model.parameters(), LearningRate);
Console.WriteLine($"model: embedding {EmbeddingSize}, BiLSTM {HiddenSize} per direction, {model.ParameterCount:N0} parameters");

double bestAccuracy = -1;
int bestEpoch = 0;
Dictionary<string, Tensor>? bestWeights = null;
for (int epoch = 1; epoch <= maxEpochs; epoch++)
{
    var watch = Stopwatch.StartNew();
    model.train();
    double lossSum = 0;
    int batches = 0;
    foreach (LabelledSentence[] batch in train.OrderBy(_ => random.Next()).Chunk(BatchSize))
    {
        using var scope = NewDisposeScope();
        (Tensor tokens, Tensor lengths) = Encode(batch, vocabulary);
        Tensor labels = tensor(batch.Select(s => (long)s.Label).ToArray());
        optimizer.zero_grad();
        Tensor loss = nn.functional.cross_entropy(model.call(tokens, lengths), labels);
        loss.backward();
        nn.utils.clip_grad_norm_(model.parameters(), ClipNorm);
        optimizer.step();
        lossSum += loss.item<float>();
        batches++;
    }

    double accuracy = Accuracy(model, validation, vocabulary);
    Console.WriteLine($"epoch {epoch,2}: loss {lossSum / batches:0.0000}, validation accuracy {accuracy:0.0000} ({watch.Elapsed.TotalSeconds:0.0} s)");
    if (accuracy > bestAccuracy)
    {
        bestAccuracy = accuracy;
        bestEpoch = epoch;
        DisposeAll(bestWeights);
        bestWeights = Snapshot(model);
    }
    else if (epoch - bestEpoch >= 3)
    {
        Console.WriteLine($"early stop: no validation gain for 3 epochs");
        break;
    }
}

using (no_grad())
{
    // state_dict() holds the model's own tensors: copy the best values back into them.
    foreach ((string name, Tensor value) in model.state_dict())
    {
        value.copy_(bestWeights![name]);
    }
}

DisposeAll(bestWeights);
double testAccuracy = Accuracy(model, test, vocabulary);
Console.WriteLine();
Console.WriteLine($"best epoch {bestEpoch} (validation accuracy {bestAccuracy:0.0000}); held-out test accuracy {testAccuracy:0.0000} on {test.Length} sentences");
Console.WriteLine();
Console.WriteLine("predictions on held-out sentences:");
LabelledSentence[] examples = test.Take(5).ToArray();
float[] positive = PositiveProbabilities(model, examples, vocabulary);
for (int i = 0; i < examples.Length; i++)
{
    string predicted = positive[i] >= 0.5f ? "positive" : "negative";
    string truth = examples[i].Label == 1 ? "positive" : "negative";
    Console.WriteLine($"  P(positive) = {positive[i]:0.000} → {predicted,-8} (true {truth,-8}) \"{examples[i].Text}\"");
}

Console.WriteLine();
Console.WriteLine($"METRIC quickstart_uci_accuracy {testAccuracy.ToString("0.####", CultureInfo.InvariantCulture)}");
return 0;

static (Tensor Tokens, Tensor Lengths) Encode(IReadOnlyList<LabelledSentence> batch, Vocabulary vocabulary)
{
    long[][] ids = batch.Select(s => vocabulary.Encode(s.Text)).ToArray();
    int longest = ids.Max(x => x.Length);
    var padded = new long[ids.Length * longest];
    for (int row = 0; row < ids.Length; row++)
    {
        ids[row].CopyTo(padded, row * longest);
    }

    return (tensor(padded, [ids.Length, longest]), tensor(ids.Select(x => (long)x.Length).ToArray()));
}

static float[] PositiveProbabilities(BiLstmClassifier model, IReadOnlyList<LabelledSentence> rows, Vocabulary vocabulary)
{
    model.eval();
    var result = new List<float>(rows.Count);
    using var noGrad = no_grad();
    foreach (LabelledSentence[] batch in rows.Chunk(256))
    {
        using var scope = NewDisposeScope();
        (Tensor tokens, Tensor lengths) = Encode(batch, vocabulary);
        result.AddRange(model.call(tokens, lengths).softmax(-1).select(1, 1).contiguous().data<float>().ToArray());
    }

    return result.ToArray();
}

static double Accuracy(BiLstmClassifier model, IReadOnlyList<LabelledSentence> rows, Vocabulary vocabulary)
{
    float[] positive = PositiveProbabilities(model, rows, vocabulary);
    return rows.Where((s, i) => (positive[i] >= 0.5f ? 1 : 0) == s.Label).Count() / (double)rows.Count;
}

static Dictionary<string, Tensor> Snapshot(BiLstmClassifier model)
{
    using var noGrad = no_grad();
    // Copies that belong to no dispose scope (the caller disposes them).
    return model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope());
}

static void DisposeAll(Dictionary<string, Tensor>? tensors)
{
    foreach (Tensor t in tensors?.Values ?? Enumerable.Empty<Tensor>())
    {
        t.Dispose();
    }
}

static string? OptionValue(string[] args, string name)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
