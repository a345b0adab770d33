using Microsoft.VisualStudio.TestTools.UnitTesting;

// Tests run in parallel by class; tests that read process-wide counters opt out with [DoNotParallelize].
[assembly: Parallelize(Workers = 2, Scope = ExecutionScope.ClassLevel)]
