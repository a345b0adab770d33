namespace Microsoft.ML;

/// <summary>Saving a model so that a failure never leaves a half-written file.</summary>
public static class ModelOperationsExtensions
{
    /// <summary>Saves <paramref name="model"/> like <c>mlContext.Model.Save(model, inputSchema, filePath)</c>, but into a
    /// temporary file beside <paramref name="filePath"/> that is renamed over it only when the whole model is written:
    /// an exception (or a crash) during the save leaves the previous file, if any, untouched and no temporary file
    /// behind. ML.NET's own <c>Save</c> to a path truncates the file first and writes into it.</summary>
    /// <param name="catalog">The model operations of an <c>MLContext</c> (<c>mlContext.Model</c>).</param>
    /// <param name="model">The fitted model (any ML.NET transformer or chain).</param>
    /// <param name="inputSchema">The schema of the data the model takes (saved with it), or null.</param>
    /// <param name="filePath">Where the model goes.</param>
    public static void SaveAtomically(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema? inputSchema, string filePath)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        string full = Path.GetFullPath(filePath);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                catalog.Save(model, inputSchema, stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
