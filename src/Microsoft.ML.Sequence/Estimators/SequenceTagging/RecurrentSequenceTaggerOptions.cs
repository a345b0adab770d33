using Microsoft.ML.Sequence.Modules;
using System.Text.Json.Serialization;
using Microsoft.ML.Sequence.Estimators.Training;
using Microsoft.ML.Sequence.Modules.Crf;
using Microsoft.ML.Sequence.Modules.Recurrent;

namespace Microsoft.ML.Sequence.Estimators.SequenceTagging;

/// <summary>Settings of <see cref="RecurrentSequenceTagger"/>: word embeddings (plus an optional character-level word
/// encoder) → stacked bidirectional recurrent layers → one tag per token through a softmax or a CRF.</summary>
/// <remarks>
/// <para>Input columns: <see cref="TokensColumnName"/> (a variable-length vector of Text, or of keys whose key values are
/// the tokens) and <see cref="LabelColumnName"/> (a vector of keys from <c>MapValueToKey</c> on a vector of Text, as
/// long as the row's tokens; the tags are all the key's values in key order). Output columns:
/// <see cref="PredictedLabelColumnName"/> (a variable-length vector of keys with the label's key values, one per token;
/// <c>MapKeyToValue</c> turns it back into tag strings) and <see cref="ScoreColumnName"/> (a variable-length vector of
/// Single of length tokens × tags, token by token, tags in key order; probabilities, never logits).</para>
/// <para>Words: the word vocabulary holds the training words seen at least <see cref="MinWordCount"/> times (lowercased
/// when <see cref="LowercaseWords"/>), most frequent first, plus PAD (key 0) and UNK; other words map to UNK and are
/// counted as out-of-vocabulary in progress reports. The character encoder sees every word with its original case, so
/// unseen and rare words are still represented.</para>
/// <para><c>Fit</c> validates these settings, then works on a copy; the transformer stores every setting with the
/// model (except <see cref="ValidationSet"/>, <see cref="Progress"/> and <see cref="CancellationToken"/>).</para>
/// </remarks>
public sealed class RecurrentSequenceTaggerOptions
{
    /// <summary>Input column of tokens: a vector of Text, or a vector of keys whose key values are the tokens.
    /// Default: <c>"Tokens"</c>.</summary>
    public string TokensColumnName { get; set; } = "Tokens";

    /// <summary>Input column of gold tags: a vector of keys (from <c>MapValueToKey</c>), one per token; needed by
    /// <c>Fit</c> only. The tags are all the key's values, in key order. Default: <c>"Label"</c>.</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>Output column of predicted tags: a vector of keys with the label's key values, one per token.
    /// Default: <c>"PredictedLabel"</c>.</summary>
    public string PredictedLabelColumnName { get; set; } = "PredictedLabel";

    /// <summary>Output column of per-token tag probabilities (softmax) or marginals (CRF), flattened token by token
    /// (a vector of Single of length tokens × tags). Default: <c>"Score"</c>.</summary>
    public string ScoreColumnName { get; set; } = "Score";

    /// <summary>Size of the word embedding, from 1 to 4096 (must equal the vectors' size when
    /// <see cref="PretrainedVectorsPath"/> is set). Default: 100.</summary>
    public int WordEmbeddingSize { get; set; } = 100;

    /// <summary>A GloVe/word2vec text file whose vectors initialise the rows of known words (looked up with the same
    /// casing as the vocabulary), or null to initialise every row randomly. Default: null.</summary>
    public string? PretrainedVectorsPath { get; set; }

    /// <summary>Lowercase words (invariant culture) before the word-vocabulary lookup; characters keep their case.
    /// Default: true.</summary>
    public bool LowercaseWords { get; set; } = true;

    /// <summary>Training occurrences a word needs to enter the word vocabulary, at least 1; rarer words train the UNK row,
    /// which then serves unseen words. Default: 2.</summary>
    public int MinWordCount { get; set; } = 2;

    /// <summary>Add a character-level word encoder (a BiLSTM over each word's characters) whose final states are
    /// concatenated to the word embedding. Default: true.</summary>
    public bool UseCharacterEncoder { get; set; } = true;

    /// <summary>Size of the character embedding, from 1 to 1024 (used when <see cref="UseCharacterEncoder"/>). Default: 32.</summary>
    public int CharacterEmbeddingSize { get; set; } = 32;

    /// <summary>Hidden size per direction of the character BiLSTM, from 1 to 1024 (used when
    /// <see cref="UseCharacterEncoder"/>). Default: 32.</summary>
    public int CharacterHiddenSize { get; set; } = 32;

    /// <summary>Characters of a word the character encoder reads, from 1 to 1000: longer words (URLs, e-mail addresses)
    /// are read as their first <c>N/2</c> and last <c>N/2</c> characters. Default: 30.</summary>
    public int MaxWordCharacters { get; set; } = 30;

    /// <summary>Recurrent cell of the sentence encoder. Default: <see cref="RecurrentMode.Lstm"/>.</summary>
    public RecurrentMode Cell { get; set; } = RecurrentMode.Lstm;

    /// <summary>Hidden size per direction of the sentence encoder, from 1 to 4096. Default: 128.</summary>
    public int HiddenSize { get; set; } = 128;

    /// <summary>Number of stacked bidirectional recurrent layers, from 1 to 8. Default: 2.</summary>
    public int LayerCount { get; set; } = 2;

    /// <summary>Dropout probability in [0, 1) on the token representations, between stacked layers and before the
    /// output layer. Default: 0.33.</summary>
    public double Dropout { get; set; } = 0.33;

    /// <summary>Output layer. Default: <see cref="TaggerOutput.Softmax"/>.</summary>
    public TaggerOutput Output { get; set; } = TaggerOutput.Softmax;

    /// <summary>How tags are written, which decides the transitions a CRF output forbids (no effect with a softmax
    /// output; <see cref="TagScheme.None"/> for IO tags or part-of-speech tags). Default: <see cref="TagScheme.None"/>.</summary>
    public TagScheme TagScheme { get; set; } = TagScheme.None;

    /// <summary>Sentences per training batch, from 1 to 65,536 (batches group sentences of similar length). Default: 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Maximum number of epochs, from 1 to 10,000. Default: 8.</summary>
    public int MaxEpochs { get; set; } = 8;

    /// <summary>Optimiser. Default: <see cref="OptimizerKind.Adam"/>.</summary>
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Adam;

    /// <summary>Learning rate, a finite number &gt; 0. Default: 0.002.</summary>
    public double LearningRate { get; set; } = 2e-3;

    /// <summary>Global-norm gradient clipping threshold; 0 disables clipping. Default: 5.</summary>
    public double GradientClipNorm { get; set; } = 5;

    /// <summary>Share of the training rows, in [0, 1), held out (drawn with the seed) as validation data when
    /// <see cref="ValidationSet"/> is null; 0 holds out nothing. Default: 0.</summary>
    public double ValidationFraction { get; set; }

    /// <summary>Early stopping on the validation data (token accuracy for <see cref="ValidationMetric.Accuracy"/>,
    /// span F1 for <see cref="ValidationMetric.F1"/>), or null to train every epoch. Default: null.</summary>
    public EarlyStoppingOptions? EarlyStopping { get; set; }

    /// <summary>Progress report every this many optimiser steps (and at every epoch end); 0 reports at epoch ends
    /// only. Default: 50.</summary>
    public int ReportEvery { get; set; } = 50;

    /// <summary>Sentences per batch at prediction time, from 1 to 65,536. Default: 128.</summary>
    public int PredictionBatchSize { get; set; } = 128;

    /// <summary>Validation rows (the same columns as the training data, labels keyed with the same key values) scored
    /// after every epoch to pick the best epoch and drive early stopping; not saved with the model. Default: null.</summary>
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

    /// <summary>Seed of this estimator's random choices; null draws it from the <c>MLContext</c>'s random stream (so a
    /// context made with a seed fits reproducibly). <c>Fit</c> draws three seeds from <c>new Random(Seed)</c>, in this
    /// order: the validation split's, the batch order's, and the network's (initialisation and dropout). Default: null.</summary>
    public int? Seed { get; set; }

    /// <summary>Weight averaging: when above 0, training keeps an exponential moving average of the weights (Polyak
    /// averaging), and validation, early stopping and the model <c>Fit</c> returns use the averaged weights. After n optimiser
    /// steps the decay is min(this value, (1 + n) / (10 + n)), so that the random initialisation fades fast; a decay d
    /// takes effect only after (10d − 1) / (1 − d) steps (0.99: 890; 0.999: 8,990): until then any larger value gives
    /// the same average. In [0, 1). Default: 0.</summary>
    public double WeightAverageDecay { get; set; }

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A column name is empty, or two output columns share a name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it with the expected
    /// and actual values.</exception>
    public void Validate()
    {
        foreach ((string? value, string name) in new[]
                 {
                     (TokensColumnName, nameof(TokensColumnName)), (LabelColumnName, nameof(LabelColumnName)),
                     (PredictedLabelColumnName, nameof(PredictedLabelColumnName)), (ScoreColumnName, nameof(ScoreColumnName)),
                 })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException($"{name} must name a column.", name);
            }
        }

        if (PredictedLabelColumnName == ScoreColumnName)
        {
            throw new ArgumentException($"PredictedLabelColumnName and ScoreColumnName are both \"{ScoreColumnName}\".", nameof(ScoreColumnName));
        }

        Arguments.Range(WordEmbeddingSize, 1, 4096, nameof(WordEmbeddingSize));
        Arguments.Range(MinWordCount, 1, int.MaxValue, nameof(MinWordCount));
        Arguments.Range(CharacterEmbeddingSize, 1, 1024, nameof(CharacterEmbeddingSize));
        Arguments.Range(CharacterHiddenSize, 1, 1024, nameof(CharacterHiddenSize));
        Arguments.Range(MaxWordCharacters, 1, 1000, nameof(MaxWordCharacters));
        Arguments.Range(HiddenSize, 1, 4096, nameof(HiddenSize));
        Arguments.Range(LayerCount, 1, 8, nameof(LayerCount));
        Arguments.Range(BatchSize, 1, 65_536, nameof(BatchSize));
        Arguments.Range(MaxEpochs, 1, 10_000, nameof(MaxEpochs));
        Arguments.Range(ReportEvery, 0, int.MaxValue, nameof(ReportEvery));
        Arguments.Range(PredictionBatchSize, 1, 65_536, nameof(PredictionBatchSize));
        Arguments.Defined(Cell, nameof(Cell));
        Arguments.Defined(Output, nameof(Output));
        Arguments.Defined(TagScheme, nameof(TagScheme));
        Arguments.Defined(Optimizer, nameof(Optimizer));
        Arguments.HalfOpen(Dropout, 0, 1, nameof(Dropout));
        Arguments.HalfOpen(WeightAverageDecay, 0, 1, nameof(WeightAverageDecay));
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be a finite number > 0.");
        }

        if (!(GradientClipNorm >= 0) || !double.IsFinite(GradientClipNorm))
        {
            throw new ArgumentOutOfRangeException(nameof(GradientClipNorm), GradientClipNorm, "GradientClipNorm must be a finite number ≥ 0.");
        }

        Arguments.HalfOpen(ValidationFraction, 0, 1, nameof(ValidationFraction));
        if (ValidationSet is not null && ValidationFraction > 0)
        {
            throw new ArgumentException("Set ValidationSet or ValidationFraction, not both.", nameof(ValidationFraction));
        }

        EarlyStopping?.Validate();
    }

    /// <summary>What training needs beyond <see cref="Validate"/> (a saved model's options, whose validation data is
    /// not saved, pass <see cref="Validate"/> but not this).</summary>
    /// <exception cref="ArgumentException">EarlyStopping is set without validation data.</exception>
    internal void ValidateForTraining()
    {
        Validate();
        if (EarlyStopping is not null && ValidationSet is null && ValidationFraction == 0)
        {
            throw new ArgumentException("EarlyStopping needs validation data: set ValidationSet or ValidationFraction.", nameof(EarlyStopping));
        }
    }

    /// <summary>A copy (the early-stopping settings copied too), so a running <c>Fit</c> never sees later changes.</summary>
    /// <returns>The copy.</returns>
    public RecurrentSequenceTaggerOptions Clone()
    {
        var copy = (RecurrentSequenceTaggerOptions)MemberwiseClone();
        copy.EarlyStopping = EarlyStopping?.Clone();
        return copy;
    }

    /// <summary>Settings that are valid but have no effect with the others, for the log (G6).</summary>
    internal IEnumerable<string> NoEffectWarnings()
    {
        if (Output == TaggerOutput.Softmax && TagScheme != TagScheme.None)
        {
            yield return $"TagScheme {TagScheme} has no effect with a softmax output (it constrains CRF transitions only).";
        }
    }
}
