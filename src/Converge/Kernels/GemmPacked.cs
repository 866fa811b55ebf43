using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Converge.Kernels;

/// <summary>
/// Blocked, packed GEMM in the BLIS layout: B is packed per (Kc × Nc) block into Nr-wide column
/// panels, A per (Mc × Kc) block into Mr-high row panels, and an Mr × Nr register tile
/// (6 rows × 2 registers: 12 accumulators + 2 B loads + 1 broadcast fit AVX2's 16 registers)
/// accumulates over Kc with FMAs. Generic over the register width, so Vector512 runs this same code.
/// </summary>
internal static unsafe class GemmPacked<TOps, TV>
    where TOps : unmanaged, IGemmOps<TV> where TV : struct
{
    private const int Mr = 6;
    private const int KcMax = 256;   // a B micro-panel (256 × Nr) stays in L1 while A panels stream from L2
    private const int McMax = 96;    // an A block (96 × 256 floats, 96 KiB) fits L2 with room for B
    private const int NcMax = 2048;  // a B block (256 × 2048 floats, 2 MiB) fits a share of L3
    private const int MaxTile = Mr * 32;

    private static int Nr => 2 * TOps.Count;

    [ThreadStatic] private static float[]? _packA;
    [ThreadStatic] private static float[]? _packB;

    public static void Run(GemmPlan* plan, bool parallel)
    {
        var nr = Nr;
        var pooled = parallel && GemmPool.TryEnter();
        try
        {
            var threads = pooled ? GemmPool.Threads : 1;
            var ncMax = RoundUp(Math.Min(plan->N, NcMax), nr);
            plan->PackedB = Buffer(ref _packB, KcMax * ncMax);
            for (var jc = 0; jc < plan->N; jc += NcMax)
            {
                plan->Jc = jc;
                plan->Nc = Math.Min(NcMax, plan->N - jc);
                var panels = (plan->Nc + nr - 1) / nr;
                for (var pc = 0; pc < plan->K; pc += KcMax)
                {
                    plan->Pc = pc;
                    plan->Kc = Math.Min(KcMax, plan->K - pc);
                    plan->BlockAccumulate = plan->Accumulate || pc > 0;
                    // Two tasks per thread let a core that other processes slow down take fewer.
                    plan->PanelsPerTask = pooled ? Math.Max(1, (panels + (2 * threads) - 1) / (2 * threads)) : panels;
                    plan->RowsPerTask = pooled ? RoundUp((plan->M + (2 * threads) - 1) / (2 * threads), Mr) : plan->M;
                    plan->Phase = 0;
                    var packTasks = (panels + plan->PanelsPerTask - 1) / plan->PanelsPerTask;
                    if (pooled) GemmPool.Run(&RunTask, plan, packTasks);
                    else RunTask(plan, 0);
                    plan->Phase = 1;
                    var rowTasks = (plan->M + plan->RowsPerTask - 1) / plan->RowsPerTask;
                    if (pooled) GemmPool.Run(&RunTask, plan, rowTasks);
                    else RunTask(plan, 0);
                }
            }
        }
        finally
        {
            if (pooled) GemmPool.Exit();
        }
    }

    private static void RunTask(void* state, int task)
    {
        var plan = (GemmPlan*)state;
        if (plan->Phase == 0)
        {
            var nr = Nr;
            var first = task * plan->PanelsPerTask * nr;
            var last = Math.Min(plan->Nc, first + (plan->PanelsPerTask * nr));
            for (var jr = first; jr < last; jr += nr) PackBPanel(plan, jr);
        }
        else
        {
            var first = task * plan->RowsPerTask;
            ComputeRows(plan, first, Math.Min(plan->M, first + plan->RowsPerTask));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ComputeRows(GemmPlan* plan, int rowStart, int rowEnd)
    {
        var nr = Nr;
        int kc = plan->Kc, nc = plan->Nc;
        var ldc = plan->Ldc;
        var accumulate = plan->BlockAccumulate;
        var packA = Buffer(ref _packA, McMax * KcMax);
        var tile = stackalloc float[MaxTile];
        for (var ic = rowStart; ic < rowEnd; ic += McMax)
        {
            var mc = Math.Min(McMax, rowEnd - ic);
            PackA(plan, ic, mc, packA);
            for (var jr = 0; jr < nc; jr += nr)
            {
                var nrValid = Math.Min(nr, nc - jr);
                var bPanel = plan->PackedB + ((nint)jr * kc);
                for (var ir = 0; ir < mc; ir += Mr)
                {
                    var mrValid = Math.Min(Mr, mc - ir);
                    var aPanel = packA + ((nint)ir * kc);
                    var c = plan->C + ((ic + ir) * ldc) + plan->Jc + jr;
                    if (mrValid == Mr && nrValid == nr)
                    {
                        Kernel(kc, aPanel, bPanel, c, ldc, accumulate);
                        continue;
                    }
                    // Edge tile: the padded panels give a full tile; copy out only its valid part.
                    Kernel(kc, aPanel, bPanel, tile, nr, accumulate: false);
                    for (var r = 0; r < mrValid; r++)
                    {
                        var cRow = c + (r * ldc);
                        var tRow = tile + (r * nr);
                        for (var j = 0; j < nrValid; j++) cRow[j] = accumulate ? cRow[j] + tRow[j] : tRow[j];
                    }
                }
            }
        }
    }

    /// <summary>C[0..6, 0..Nr) (+)= Σ_p a[p·6 + r] · b[p·Nr + j] over a packed A and B panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel(int kc, float* a, float* b, float* c, nint ldc, bool accumulate)
    {
        var w = TOps.Count;
        TV c00 = TOps.Zero, c01 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero, c20 = TOps.Zero, c21 = TOps.Zero;
        TV c30 = TOps.Zero, c31 = TOps.Zero, c40 = TOps.Zero, c41 = TOps.Zero, c50 = TOps.Zero, c51 = TOps.Zero;
        for (var p = 0; p < kc; p++)
        {
            var b0 = TOps.Load(b);
            var b1 = TOps.Load(b + w);
            var ar = TOps.Broadcast(a[0]);
            c00 = TOps.MultiplyAdd(ar, b0, c00);
            c01 = TOps.MultiplyAdd(ar, b1, c01);
            ar = TOps.Broadcast(a[1]);
            c10 = TOps.MultiplyAdd(ar, b0, c10);
            c11 = TOps.MultiplyAdd(ar, b1, c11);
            ar = TOps.Broadcast(a[2]);
            c20 = TOps.MultiplyAdd(ar, b0, c20);
            c21 = TOps.MultiplyAdd(ar, b1, c21);
            ar = TOps.Broadcast(a[3]);
            c30 = TOps.MultiplyAdd(ar, b0, c30);
            c31 = TOps.MultiplyAdd(ar, b1, c31);
            ar = TOps.Broadcast(a[4]);
            c40 = TOps.MultiplyAdd(ar, b0, c40);
            c41 = TOps.MultiplyAdd(ar, b1, c41);
            ar = TOps.Broadcast(a[5]);
            c50 = TOps.MultiplyAdd(ar, b0, c50);
            c51 = TOps.MultiplyAdd(ar, b1, c51);
            a += Mr;
            b += 2 * w;
        }
        StoreRow(c00, c01, c, accumulate);
        StoreRow(c10, c11, c + ldc, accumulate);
        StoreRow(c20, c21, c + (2 * ldc), accumulate);
        StoreRow(c30, c31, c + (3 * ldc), accumulate);
        StoreRow(c40, c41, c + (4 * ldc), accumulate);
        StoreRow(c50, c51, c + (5 * ldc), accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(TV v0, TV v1, float* c, bool accumulate)
    {
        var w = TOps.Count;
        if (accumulate)
        {
            v0 = TOps.Add(v0, TOps.Load(c));
            v1 = TOps.Add(v1, TOps.Load(c + w));
        }
        TOps.Store(v0, c);
        TOps.Store(v1, c + w);
    }

    /// <summary>Packs rows [ic, ic+mc) × depth [pc, pc+kc) of A into Mr-row panels (dst[p·Mr + r]), zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(GemmPlan* plan, int ic, int mc, float* dst)
    {
        var kc = plan->Kc;
        for (var ir = 0; ir < mc; ir += Mr, dst += Mr * kc)
        {
            var rows = Math.Min(Mr, mc - ir);
            var src = plan->A + ((ic + ir) * plan->RsA) + (plan->Pc * plan->CsA);
            if (plan->RsA == 1)
            {
                // Aᵀ stored [k, m]: the panel's rows are contiguous at each depth.
                var csA = plan->CsA;
                for (var p = 0; p < kc; p++, src += csA)
                {
                    var d = dst + (p * Mr);
                    var r = 0;
                    for (; r < rows; r++) d[r] = src[r];
                    for (; r < Mr; r++) d[r] = 0f;
                }
            }
            else
            {
                for (var r = 0; r < Mr; r++)
                {
                    var s = src + (r * plan->RsA);
                    var d = dst + r;
                    if (r < rows)
                        for (var p = 0; p < kc; p++) d[p * Mr] = s[p * plan->CsA];
                    else
                        for (var p = 0; p < kc; p++) d[p * Mr] = 0f;
                }
            }
        }
    }

    /// <summary>Packs columns [jc+jr, jc+jr+Nr) × depth [pc, pc+kc) of B into one panel (dst[p·Nr + j]), zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackBPanel(GemmPlan* plan, int jr)
    {
        var nr = Nr;
        var kc = plan->Kc;
        var cols = Math.Min(nr, plan->Nc - jr);
        var dst = plan->PackedB + ((nint)jr * kc);
        var src = plan->B + (plan->Pc * plan->RsB) + ((plan->Jc + jr) * plan->CsB);
        if (plan->CsB == 1)
        {
            // B stored [k, n]: each depth's Nr columns are contiguous.
            var rsB = plan->RsB;
            for (var p = 0; p < kc; p++, src += rsB, dst += nr)
            {
                if (cols == nr)
                {
                    TOps.Store(TOps.Load(src), dst);
                    TOps.Store(TOps.Load(src + TOps.Count), dst + TOps.Count);
                    continue;
                }
                var j = 0;
                for (; j < cols; j++) dst[j] = src[j];
                for (; j < nr; j++) dst[j] = 0f;
            }
        }
        else
        {
            for (var j = 0; j < nr; j++)
            {
                var s = src + (j * plan->CsB);
                var d = dst + j;
                if (j < cols)
                    for (var p = 0; p < kc; p++) d[p * nr] = s[p * plan->RsB];
                else
                    for (var p = 0; p < kc; p++) d[p * nr] = 0f;
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>A reusable, pinned, 64-byte-aligned per-thread buffer of at least <paramref name="length"/> floats.</summary>
    private static float* Buffer(ref float[]? field, int length)
    {
        var array = field;
        if (array is null || array.Length < length + 16)
        {
            array = GC.AllocateUninitializedArray<float>(length + 16, pinned: true);
            field = array;
        }
        var p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        return (float*)((p + 63) & ~(nint)63);
    }
}
