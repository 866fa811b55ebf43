namespace Converge.Kernels;

/// <summary>Which register width the matrix multiply uses; <see cref="Auto"/> picks the widest accelerated one.</summary>
internal enum GemmPath
{
    Auto,
    Scalar,
    Vector128,
    Vector256,
    /// <summary>Runs even where Vector512 is not accelerated (the runtime emulates it, slowly): tests use that.</summary>
    Vector512,
}

/// <summary>Whether a large matrix multiply is split across the cores.</summary>
internal enum GemmThreading
{
    /// <summary>Parallel when 2·m·n·k reaches <see cref="Gemm.ParallelFlopThreshold"/>.</summary>
    Auto,
    SingleThread,
    /// <summary>Every packed (non-direct) product is split, however small: tests use it on odd shapes.</summary>
    Parallel,
}
