// Runs our recurrent layer in an application that got Microsoft.ML.Sequence from its package: it loads only if the
// package's buildTransitive loader fix ran on this application's output.
using Microsoft.ML.Sequence.Modules.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

using var generator = new Generator(1);
using var lstm = new Lstm(4, 8, bidirectional: true, generator: generator);
using var scope = NewDisposeScope();
Tensor output = lstm.Forward(randn(new long[] { 2, 5, 4 }, generator: generator), tensor(new long[] { 5, 3 })).Output;
Console.WriteLine($"package consumer: output [{string.Join(", ", output.shape)}]");
