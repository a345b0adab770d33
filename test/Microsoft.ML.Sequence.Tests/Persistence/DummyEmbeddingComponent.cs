using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Tests.Persistence;

/// <summary>A component registered from the test assembly: averages embedding rows of a key vector into a fixed-size
/// float vector, with a weight tensor, through the persistence extension point only.</summary>
[PersistableComponent("Tests.DummyEmbedding", 2)]
public sealed class DummyEmbeddingComponent : ISequenceTransformer, IPersistableComponent, IDisposable
{
    public sealed class Settings
    {
        public string InputColumnName { get; set; } = "TokenKeys";

        public string OutputColumnName { get; set; } = "Features";

        public long Rows { get; set; }

        public int Dimension { get; set; }
    }

    private readonly Settings _settings;
    private readonly Tensor _weight;

    public DummyEmbeddingComponent(Settings settings, Tensor weight)
    {
        _settings = settings;
        _weight = weight;
    }

    public static DummyEmbeddingComponent Create(long rows, int dimension, ulong seed)
    {
        using var generator = new Generator(seed);
        return new DummyEmbeddingComponent(new Settings { Rows = rows, Dimension = dimension }, randn(new[] { rows, dimension }, generator: generator));
    }

    public SequenceSchema GetOutputSchema(SequenceSchema inputSchema) =>
        inputSchema.With(new SchemaColumn(_settings.OutputColumnName, new VectorColumnType(NumberColumnType.Float32, _settings.Dimension)));

    public ISequenceDataView Transform(ISequenceDataView input)
    {
        int source = input.Schema.IndexOf(_settings.InputColumnName);
        var rows = new List<float[]>();
        using (DataCursor cursor = input.GetCursor())
        {
            while (cursor.MoveNext())
            {
                long[] keys = cursor.GetValue<long[]>(source);
                if (keys.Length == 0)
                {
                    rows.Add(new float[_settings.Dimension]);
                    continue;
                }

                using var scope = NewDisposeScope();
                Tensor embedded = _weight.index_select(0, tensor(keys));
                rows.Add(embedded.mean(new long[] { 0 }).data<float>().ToArray());
            }
        }

        SequenceSchema schema = GetOutputSchema(input.Schema);
        var cached = SequenceDataView.Cache(input);
        var columns = new List<Array>();
        using (DataCursor cursor = cached.GetCursor())
        {
            var buffers = input.Schema.Select(c => new List<object>()).ToList();
            while (cursor.MoveNext())
            {
                for (int i = 0; i < buffers.Count; i++)
                {
                    buffers[i].Add(cursor.GetBoxedValue(i));
                }
            }

            for (int i = 0; i < buffers.Count; i++)
            {
                Array array = Array.CreateInstance(input.Schema[i].Type.ClrType, buffers[i].Count);
                for (int r = 0; r < buffers[i].Count; r++)
                {
                    array.SetValue(buffers[i][r], r);
                }

                columns.Add(array);
            }
        }

        columns.Insert(schema.IndexOf(_settings.OutputColumnName), rows.ToArray());
        return SequenceDataView.FromColumns(schema, columns);
    }

    public void Save(ComponentSaveContext context)
    {
        context.WriteOptions(_settings);
        context.WriteTensor("weight", _weight);
    }

    public static DummyEmbeddingComponent Load(ComponentLoadContext context)
    {
        Settings settings = context.ReadOptions<Settings>();
        return new DummyEmbeddingComponent(settings, context.ReadTensor("weight", [settings.Rows, settings.Dimension]));
    }

    public void Dispose() => _weight.Dispose();
}
