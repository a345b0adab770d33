namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>One row's input as the network reads it: an image of <c>Height</c> × <see cref="Length"/> values (row-major,
/// ink high, background 0) or <see cref="Length"/> frames of F features (frame-major).</summary>
/// <param name="Values">The values.</param>
/// <param name="Length">Columns of the image or frames of the sequence (the time axis), at least 1.</param>
internal sealed record CtcSample(float[] Values, int Length);
