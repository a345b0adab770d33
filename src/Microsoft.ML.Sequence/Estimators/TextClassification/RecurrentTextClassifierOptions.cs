using System.Text.Json.Serialization;
using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules.Pooling;

namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>Options of <see cref="RecurrentTextClassifier"/>: columns, text handling, network, training and validation.</summary>
/// <remarks>
/// <para>Each property states its default; that is the only place it is written. <see cref="RecurrentTextClassifier"/>
/// validates and copies the options, so changing this object after creating the estimator has no effect on it, and
/// <c>Fit</c> never writes into it. The fitted model stores every option in its model.zip (except
/// <see cref="ValidationSet"/>, <see cref="Progress"/> and <see cref="CancellationToken"/>).</para>
/// <para>The defaults, without pretrained vectors: lowercased word tokens, embedding 300, a one-layer BiLSTM of 256 per
/// direction, max pooling over time, dropout 0.5, Adam 2e-3, batch 64, clipping at 5, up to 9 epochs with early stopping
/// (patience 2) on validation accuracy; word dropout and weight averaging are off. The sentiment sample (SST-2 dev
/// accuracy in the README) sets <see cref="WordDropout"/> 0.2, <see cref="WeightAverageDecay"/> 0.999,
/// <see cref="VocabularyMinCount"/> 2 and <see cref="Dropout"/> 0.4, chosen on its validation part.</para>
/// </remarks>
public sealed class RecurrentTextClassifierOptions
{
    /// <summary>Input column: Text (lowercased and tokenised inside, see <see cref="Tokenization"/>), a vector of Text
    /// (tokens as given, for example from ML.NET's <c>TokenizeIntoWords</c>; <see cref="Lowercase"/> still applies), or a
    /// vector of keys (from <c>MapValueToKey</c>; the key values are the vocabulary, a missing key 0 reads as padding).
    /// Default: "Text".</summary>
    public string TextColumnName { get; set; } = "Text";

    /// <summary>Label column: Boolean for the binary trainer, a key (from <c>MapValueToKey</c>) for the multiclass one,
    /// whose classes are all the key's values in key order. Default: "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>Output column of the predicted class: Boolean (binary) or a key with the label's key values (multiclass).
    /// Default: "PredictedLabel".</summary>
    public string PredictedLabelColumnName { get; set; } = "PredictedLabel";

    /// <summary>Output column of the scores: multiclass, Vector&lt;Single, K&gt; of class probabilities in key order,
    /// summing to 1; binary, the raw margin (Single, log of P(true) / P(false)). Default: "Score".</summary>
    public string ScoreColumnName { get; set; } = "Score";

    /// <summary>Output column of binary models: the probability of true (Single). Default: "Probability".</summary>
    public string ProbabilityColumnName { get; set; } = "Probability";

    /// <summary>Output column of per-token attention weights (Vector&lt;Float32&gt;, one weight per token, summing to 1),
    /// written only when <see cref="Pooling"/> is <see cref="TimePooling.Attention"/>. Default: "AttentionWeights".</summary>
    public string AttentionWeightsColumnName { get; set; } = "AttentionWeights";

    /// <summary>How text is split into tokens (text input only). Default: <see cref="TextTokenization.Words"/>.</summary>
    public TextTokenization Tokenization { get; set; } = TextTokenization.Words;

    /// <summary>Lowercase text before tokenising (text input only). Default: true.</summary>
    public bool Lowercase { get; set; } = true;

    /// <summary>Keep only the first this many tokens of each row; 0 keeps all. Default: 0.</summary>
    public int MaxSequenceLength { get; set; }

    /// <summary>Fewest occurrences in the training rows a token needs to enter the vocabulary, at least 1; rarer tokens
    /// map to UNK. Default: 1.</summary>
    public int VocabularyMinCount { get; set; } = 1;

    /// <summary>Largest number of vocabulary entries (the most frequent tokens; UNK not counted); 0 keeps all.
    /// Default: 0.</summary>
    public int MaxVocabularySize { get; set; }

    /// <summary>Width of the word embeddings, from 1 to 4096. Default: 300.</summary>
    public int EmbeddingSize { get; set; } = 300;

    /// <summary>Pretrained word vectors (GloVe or word2vec text format, dimension <see cref="EmbeddingSize"/>) copied
    /// into the embedding rows of the words they cover; null trains the embeddings from scratch. Default: null.</summary>
    public string? PretrainedVectorsPath { get; set; }

    /// <summary>Keep the embeddings fixed during training (useful with pretrained vectors). Default: false.</summary>
    public bool FreezeEmbeddings { get; set; }

    /// <summary>Recurrent cell of the encoder. Default: <see cref="TextEncoderCell.Lstm"/>.</summary>
    public TextEncoderCell Cell { get; set; } = TextEncoderCell.Lstm;

    /// <summary>Hidden units per direction, from 1 to 4096. Default: 256.</summary>
    public int HiddenSize { get; set; } = 256;

    /// <summary>Stacked recurrent layers, from 1 to 8. Default: 1.</summary>
    public int LayerCount { get; set; } = 1;

    /// <summary>Run a backward direction too and concatenate both. Default: true.</summary>
    public bool Bidirectional { get; set; } = true;

    /// <summary>How the encoder's states over time become one vector per row. Default: <see cref="TimePooling.Max"/>.</summary>
    public TimePooling Pooling { get; set; } = TimePooling.Max;

    /// <summary>Dropout probability on the embeddings, between stacked layers, and on the pooled vector, in [0, 1).
    /// Default: 0.5.</summary>
    public double Dropout { get; set; } = 0.5;

    /// <summary>Rows per training batch (rows of similar length are batched together), at least 1. Default: 64.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Rows per forward pass when scoring (validation and <c>Transform</c>), at least 1. Default: 256.</summary>
    public int PredictionBatchSize { get; set; } = 256;

    /// <summary>Most passes over the training rows, at least 1. Default: 9.</summary>
    public int MaxEpochs { get; set; } = 9;

    /// <summary>Optimiser. Default: <see cref="OptimizerKind.Adam"/>.</summary>
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Adam;

    /// <summary>Learning rate (the peak rate for schedules), greater than 0. Default: 0.002.</summary>
    public double LearningRate { get; set; } = 2e-3;

    /// <summary>Weight decay (L2 for Adam and SGD, decoupled for AdamW), at least 0. Default: 0.</summary>
    public double WeightDecay { get; set; }

    /// <summary>Learning-rate schedule. Default: <see cref="TextClassifierSchedule.Constant"/>.</summary>
    public TextClassifierSchedule Schedule { get; set; } = TextClassifierSchedule.Constant;

    /// <summary>Linear warm-up steps of the <see cref="TextClassifierSchedule.Cosine"/> schedule, at least 0. Default: 0.</summary>
    public int WarmupSteps { get; set; }

    /// <summary>Clip the global gradient norm to this value each step; 0 disables clipping. Default: 5.</summary>
    public double GradientClipNorm { get; set; } = 5;

    /// <summary>Fraction of the training rows held out (at random, from the seed) to pick the best epoch and stop early,
    /// in [0, 1); 0 holds out none. Ignored when <see cref="ValidationSet"/> is set. Default: 0.1.</summary>
    public double ValidationFraction { get; set; } = 0.1;

    /// <summary>When to stop before <see cref="MaxEpochs"/> (needs validation data); null trains every epoch and keeps
    /// the last epoch's weights (validation figures are still reported). Default: patience 2 on validation accuracy, best weights restored.</summary>
    public EarlyStoppingOptions? EarlyStopping { get; set; } = new() { Patience = 2 };

    /// <summary>Report training progress every this many optimiser steps (and at every epoch end); 0 reports only at
    /// epoch ends. Default: 50.</summary>
    public int ReportEvery { get; set; } = 50;

    /// <summary>Validation rows (same columns as the training data) that pick the best epoch and drive early stopping,
    /// instead of holding out <see cref="ValidationFraction"/> of the training rows; not saved with the model.
    /// Default: null.</summary>
    [JsonIgnore]
    public IDataView? ValidationSet { get; set; }

    /// <summary>Receives a report synchronously on the training thread every <see cref="ReportEvery"/> steps and at
    /// each epoch end (the same reports also go to <c>mlContext.Log</c>); not saved. Default: null.</summary>
    [JsonIgnore]
    public IProgress<TrainingProgress>? Progress { get; set; }

    /// <summary>Stops training before the next batch with an <see cref="OperationCanceledException"/>; not saved.
    /// Default: none.</summary>
    [JsonIgnore]
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Ends training after the current batch without an exception, as if the last epoch had been reached: the
    /// interrupted epoch is validated (when there is validation data) and competes for the best epoch, the best weights
    /// are restored as usual, and <c>Fit</c> returns the model, whose <c>History.Interrupted</c> is true (what a console
    /// does on Ctrl+C to keep the best model); not saved. Default: none.</summary>
    [JsonIgnore]
    public CancellationToken StopToken { get; set; }

    /// <summary>Seed of this estimator's random choices; null draws it from the <c>MLContext</c>'s random stream (so a context made with a seed fits reproducibly). <c>Fit</c> draws
    /// three seeds from <c>new Random(Seed)</c>, in this order: the validation split's, the batch order's (a
    /// <see cref="Data.Batching.LengthBucketBatcher"/> with <see cref="BatchSize"/>, epoch e using its batches of epoch
    /// e − 1), and the network's (initialisation and dropout). Default: null.</summary>
    public int? Seed { get; set; }

    /// <summary>Word dropout: during training, each token is replaced by UNK (or by PAD, a zero vector, when the
    /// vocabulary has no UNK) with this probability, in [0, 1); this also trains the UNK embedding that unseen words
    /// get at prediction time. Default: 0.</summary>
    public double WordDropout { get; set; }

    /// <summary>Weight averaging: when above 0, training keeps an exponential moving average of the weights (Polyak
    /// averaging), and validation, early stopping and the model <c>Fit</c> returns use the averaged weights. After n optimiser
    /// steps the decay is min(this value, (1 + n) / (10 + n)), so that the random initialisation fades fast; a decay d
    /// takes effect only after (10d − 1) / (1 − d) steps (0.99: 890; 0.999: 8,990): until then any larger value gives
    /// the same average. In [0, 1). Default: 0.</summary>
    public double WeightAverageDecay { get; set; }

    /// <summary>Ensemble size E: when above 1, <c>Fit</c> trains E networks of these settings side by side, each with its own
    /// initial values and dropout masks, on the same batches and each by its own loss, and the model predicts their mean
    /// class probabilities (validation and early stopping score the mean too). Training and prediction take about E times
    /// as long and the model is E times as large. In [1, 16]. Default: 1.</summary>
    public int EnsembleSize { get; set; } = 1;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A column name is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and gives the
    /// expected and actual values.</exception>
    public void Validate()
    {
        RequireName(TextColumnName, nameof(TextColumnName));
        RequireName(LabelColumnName, nameof(LabelColumnName));
        RequireName(PredictedLabelColumnName, nameof(PredictedLabelColumnName));
        RequireName(ScoreColumnName, nameof(ScoreColumnName));
        RequireName(ProbabilityColumnName, nameof(ProbabilityColumnName));
        RequireName(AttentionWeightsColumnName, nameof(AttentionWeightsColumnName));
        Arguments.Defined(Tokenization, nameof(Tokenization));
        Arguments.Defined(Cell, nameof(Cell));
        Arguments.Defined(Pooling, nameof(Pooling));
        Arguments.Defined(Optimizer, nameof(Optimizer));
        Arguments.Defined(Schedule, nameof(Schedule));
        Arguments.Range(MaxSequenceLength, 0, int.MaxValue, nameof(MaxSequenceLength));
        Arguments.Range(VocabularyMinCount, 1, int.MaxValue, nameof(VocabularyMinCount));
        Arguments.Range(MaxVocabularySize, 0, int.MaxValue, nameof(MaxVocabularySize));
        Arguments.Range(EmbeddingSize, 1, 4096, nameof(EmbeddingSize));
        Arguments.Range(HiddenSize, 1, 4096, nameof(HiddenSize));
        Arguments.Range(LayerCount, 1, 8, nameof(LayerCount));
        Arguments.Range(EnsembleSize, 1, 16, nameof(EnsembleSize));
        Arguments.Range(BatchSize, 1, int.MaxValue, nameof(BatchSize));
        Arguments.Range(PredictionBatchSize, 1, int.MaxValue, nameof(PredictionBatchSize));
        Arguments.Range(MaxEpochs, 1, int.MaxValue, nameof(MaxEpochs));
        Arguments.Range(WarmupSteps, 0, int.MaxValue, nameof(WarmupSteps));
        Arguments.Range(ReportEvery, 0, int.MaxValue, nameof(ReportEvery));
        Arguments.HalfOpen(Dropout, 0, 1, nameof(Dropout));
        Arguments.HalfOpen(WordDropout, 0, 1, nameof(WordDropout));
        Arguments.HalfOpen(WeightAverageDecay, 0, 1, nameof(WeightAverageDecay));
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be a finite number > 0.");
        }

        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "WeightDecay must be a finite number ≥ 0.");
        }

        if (!(GradientClipNorm >= 0) || !double.IsFinite(GradientClipNorm))
        {
            throw new ArgumentOutOfRangeException(nameof(GradientClipNorm), GradientClipNorm, "GradientClipNorm must be a finite number ≥ 0 (0 disables clipping).");
        }

        Arguments.HalfOpen(ValidationFraction, 0, 1, nameof(ValidationFraction));
        EarlyStopping?.Validate();
        string[] outputs = [PredictedLabelColumnName, ScoreColumnName, ProbabilityColumnName, AttentionWeightsColumnName];
        if (outputs.Distinct(StringComparer.Ordinal).Count() != outputs.Length)
        {
            throw new ArgumentException($"The output column names must differ: {string.Join(", ", outputs)}.", nameof(ScoreColumnName));
        }
    }

    /// <summary>A deep copy (the early-stopping options are copied too).</summary>
    /// <returns>The copy.</returns>
    public RecurrentTextClassifierOptions Clone()
    {
        var copy = (RecurrentTextClassifierOptions)MemberwiseClone();
        copy.EarlyStopping = EarlyStopping?.Clone();
        return copy;
    }

    private static void RequireName(string? name, string property)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"{property} must name a column.", property);
        }
    }
}
