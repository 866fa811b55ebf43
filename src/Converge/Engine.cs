using Converge.Kernels;

namespace Converge;

/// <summary>Process-wide settings of the numeric engine.</summary>
public static class Engine
{
    /// <summary>
    /// Whether large matrix products and prediction batches may be split over the machine's cores
    /// (the default, also set by <c>CONVERGE_GEMM_THREADS</c> unset or <c>auto</c>); false keeps every
    /// product on the calling thread (<c>CONVERGE_GEMM_THREADS=1</c>), e.g. when several trainings run
    /// side by side. Results are identical either way: the split never changes the summation order.
    /// </summary>
    public static bool UseAllCores
    {
        get => Gemm.Threading != GemmThreading.SingleThread;
        set => Gemm.Threading = value ? GemmThreading.Auto : GemmThreading.SingleThread;
    }
}
