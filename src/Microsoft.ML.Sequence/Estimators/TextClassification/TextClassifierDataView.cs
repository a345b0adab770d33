using Microsoft.ML.Sequence.Data;

namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>The lazy output of <see cref="TextClassifierTransformer.Transform"/>: the source columns plus the prediction
/// columns. A cursor reads a batch of source rows, scores them in one pass, then serves them one by one.</summary>
internal sealed class TextClassifierDataView : ISequenceDataView
{
    private readonly ISequenceDataView _source;
    private readonly TextClassifierTransformer _model;

    public TextClassifierDataView(ISequenceDataView source, SequenceSchema schema, TextClassifierTransformer model)
    {
        _source = source;
        Schema = schema;
        _model = model;
    }

    public SequenceSchema Schema { get; }

    public long? RowCount => _source.RowCount;

    public bool CanShuffle => _source.CanShuffle;

    public DataCursor GetCursor(int? shuffleSeed = null) => new Cursor(this, _source.GetCursor(shuffleSeed));

    private sealed class Cursor : DataCursor
    {
        private readonly TextClassifierDataView _view;
        private readonly DataCursor _source;
        private readonly int _sourceColumns;
        private readonly int _textIndex;
        private readonly int _predictedIndex, _scoreIndex, _probabilityIndex, _weightsIndex;
        private readonly int _batchSize;
        private readonly List<object[]> _rows = new();
        private float[][] _scores = [];
        private float[][]? _weights;
        private int _current = -1;
        private bool _sourceDone;

        public Cursor(TextClassifierDataView view, DataCursor source)
            : base(view.Schema)
        {
            _view = view;
            _source = source;
            _sourceColumns = source.Schema.Count;
            RecurrentTextClassifierOptions options = view._model.Options;
            _textIndex = source.Schema.IndexOf(options.TextColumnName);
            _batchSize = options.PredictionBatchSize;
            _predictedIndex = view.Schema.IndexOf(options.PredictedLabelColumnName);
            _scoreIndex = view.Schema.IndexOf(options.ScoreColumnName);
            _probabilityIndex = view.Schema.TryGetIndex(options.ProbabilityColumnName, out int p) ? p : -1;
            _weightsIndex = view.Schema.TryGetIndex(options.AttentionWeightsColumnName, out int w) ? w : -1;
        }

        protected override bool MoveNextCore()
        {
            _current++;
            if (_current < _rows.Count)
            {
                return true;
            }

            if (_sourceDone)
            {
                return false;
            }

            ReadBatch();
            _current = 0;
            return _rows.Count > 0;
        }

        protected override T GetValueCore<T>(int columnIndex)
        {
            object[] row = _rows[_current];
            if (columnIndex < _sourceColumns && columnIndex != _predictedIndex && columnIndex != _scoreIndex &&
                columnIndex != _probabilityIndex && columnIndex != _weightsIndex)
            {
                return (T)row[columnIndex];
            }

            float[] score = _scores[_current];
            if (columnIndex == _scoreIndex)
            {
                return (T)(object)score;
            }

            if (columnIndex == _predictedIndex)
            {
                int best = 0;
                for (int c = 1; c < score.Length; c++)
                {
                    if (score[c] > score[best])
                    {
                        best = c;
                    }
                }

                return (T)(object)(long)(best + 1);
            }

            if (columnIndex == _probabilityIndex)
            {
                return (T)(object)score[_view._model.PositiveClassIndex];
            }

            return (T)(object)_weights![_current];
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _source.Dispose();
            }
        }

        private void ReadBatch()
        {
            _rows.Clear();
            var sequences = new List<long[]>(_batchSize);
            while (_rows.Count < _batchSize && _source.MoveNext())
            {
                var values = new object[_sourceColumns];
                for (int i = 0; i < _sourceColumns; i++)
                {
                    values[i] = _source.GetBoxedValue(i);
                }

                _rows.Add(values);
                sequences.Add(_view._model.Encoder.Read(_source, _textIndex, out _));
            }

            _sourceDone = _rows.Count < _batchSize;
            if (_rows.Count > 0)
            {
                (_scores, _weights) = _view._model.Score(sequences);
            }
        }
    }
}
