// Each test runs mlseq processes that train with one libtorch thread; two at a time keep the machine responsive.
[assembly: Parallelize(Workers = 2, Scope = ExecutionScope.ClassLevel)]
