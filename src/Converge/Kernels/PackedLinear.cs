using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Converge.Kernels;

/// <summary>
/// A Linear layer's weights packed once for inference, and the product Y = act(X·Wᵀ + b) on them
/// with the bias and an optional ReLU fused into the micro-kernel (no separate bias or ReLU pass,
/// and no packing per call). Used by <see cref="Training.Predictor"/> for batches.
/// </summary>
/// <remarks>
/// Layout contract, which removes every edge case from the loops: X and Y are row-major with row
/// strides that are multiples of <see cref="PanelWidth"/> (<see cref="PaddedWidth"/> for Y), and
/// the row count is a multiple of <see cref="TileRows"/>; the rows and columns beyond the real ones
/// are computed too (from zero-padded weights and bias, so Y's padding columns are act(0) = 0) and
/// must simply be ignored. Wᵀ is packed like <see cref="GemmPacked{TOps, TV}"/>'s B: per depth block
/// of at most 256, Nr-wide column panels, p·Nr + j; the 6 × Nr register tile reads X in place
/// (its 6 rows stay in L1 over a depth block; a 256 × Nr weight panel stays in L1 across the rows).
/// </remarks>
internal sealed unsafe class PackedLinear
{
    /// <summary>Rows per register tile: callers pad their row count to a multiple of it.</summary>
    public const int TileRows = 6;

    private const int KcMax = 256;
    private readonly float[] _packed;
    private readonly float[] _bias;

    public PackedLinear(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int outFeatures, int inFeatures, GemmPath path)
    {
        if (weight.Length != outFeatures * inFeatures || bias.Length != outFeatures)
            throw new ArgumentException($"PackedLinear: weight must be [{outFeatures}, {inFeatures}] and bias [{outFeatures}].", nameof(weight));
        Path = path == GemmPath.Auto ? Gemm.BestPath : path;
        PanelWidth = Path switch
        {
            GemmPath.Scalar => 2,
            GemmPath.Vector128 => 2 * Vector128<float>.Count,
            GemmPath.Vector256 => 2 * Vector256<float>.Count,
            GemmPath.Vector512 => 2 * Vector512<float>.Count,
            _ => throw new ArgumentOutOfRangeException(nameof(path), $"PackedLinear: unknown path {path}."),
        };
        (Out, In) = (outFeatures, inFeatures);
        PaddedWidth = (outFeatures + PanelWidth - 1) / PanelWidth * PanelWidth;
        _bias = GC.AllocateArray<float>(PaddedWidth, pinned: true);
        bias.CopyTo(_bias);
        // Block pc (depth [pc, pc+kc)) starts at pc·PaddedWidth; panel jr within it at jr·kc.
        _packed = GC.AllocateArray<float>(Math.Max(1, inFeatures * PaddedWidth), pinned: true);
        for (var pc = 0; pc < inFeatures; pc += KcMax)
        {
            var kc = Math.Min(KcMax, inFeatures - pc);
            for (var jr = 0; jr < PaddedWidth; jr += PanelWidth)
            {
                var panel = _packed.AsSpan((pc * PaddedWidth) + (jr * kc), kc * PanelWidth);
                for (var p = 0; p < kc; p++)
                    for (var j = 0; j < PanelWidth && jr + j < outFeatures; j++)
                        panel[(p * PanelWidth) + j] = weight[((jr + j) * inFeatures) + pc + p];
            }
        }
    }

    public GemmPath Path { get; }

    public int In { get; }

    public int Out { get; }

    /// <summary>Nr: the register tile's width; row strides must be multiples of it.</summary>
    public int PanelWidth { get; }

    /// <summary><see cref="Out"/> rounded up to <see cref="PanelWidth"/>: the row stride of Y.</summary>
    public int PaddedWidth { get; }

    /// <summary>
    /// Y[r, 0..PaddedWidth) = act(X[r, 0..In)·Wᵀ + b) for r &lt; <paramref name="rows"/> (a multiple of
    /// <see cref="TileRows"/>), X with row stride <paramref name="ldx"/> ≥ In, Y with row stride <see cref="PaddedWidth"/>.
    /// </summary>
    public void Apply(ReadOnlySpan<float> x, int ldx, int rows, Span<float> y, bool relu)
    {
        if (rows > 0 && (x.Length < ((long)(rows - 1) * ldx) + In || y.Length < (long)rows * PaddedWidth))
            throw new ArgumentException($"PackedLinear: {rows} rows need {((long)(rows - 1) * ldx) + In} inputs and {(long)rows * PaddedWidth} outputs, got {x.Length} and {y.Length}.", nameof(x));
        fixed (float* px = x, py = y) Apply(px, ldx, rows, py, relu);
    }

    /// <inheritdoc cref="Apply(ReadOnlySpan{float}, int, int, Span{float}, bool)"/>
    public void Apply(float* x, nint ldx, int rows, float* y, bool relu)
    {
        if (rows % TileRows != 0 || ldx < In)
            throw new ArgumentException($"PackedLinear: rows ({rows}) must be a multiple of {TileRows} and the stride ({ldx}) at least {In}.", nameof(rows));
        fixed (float* w = _packed, b = _bias)
        {
            switch (Path)
            {
                case GemmPath.Scalar: Kernels<ScalarOps, float>.Apply(w, b, x, ldx, rows, y, In, PaddedWidth, relu); break;
                case GemmPath.Vector128: Kernels<Vector128Ops, Vector128<float>>.Apply(w, b, x, ldx, rows, y, In, PaddedWidth, relu); break;
                case GemmPath.Vector256: Kernels<Vector256Ops, Vector256<float>>.Apply(w, b, x, ldx, rows, y, In, PaddedWidth, relu); break;
                default: Kernels<Vector512Ops, Vector512<float>>.Apply(w, b, x, ldx, rows, y, In, PaddedWidth, relu); break;
            }
        }
    }

    private static class Kernels<TOps, TV> where TOps : unmanaged, IGemmOps<TV> where TV : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Apply(float* w, float* bias, float* x, nint ldx, int rows, float* y, int k, int ldy, bool relu)
        {
            var nr = 2 * TOps.Count;
            if (k == 0)
            {
                for (var r = 0; r < rows; r++)
                    for (var j = 0; j < ldy; j++) y[(r * ldy) + j] = relu && bias[j] < 0f ? 0f : bias[j];
                return;
            }
            for (var pc = 0; pc < k; pc += KcMax)
            {
                var kc = Math.Min(KcMax, k - pc);
                var first = pc == 0;
                var last = pc + kc == k;
                var block = w + (pc * (nint)ldy);
                for (var jr = 0; jr < ldy; jr += nr)
                {
                    var panel = block + (jr * (nint)kc);
                    for (var ir = 0; ir < rows; ir += TileRows)
                        Tile(kc, x + (ir * ldx) + pc, ldx, panel, first ? bias + jr : null, y + (ir * (nint)ldy) + jr, ldy, last && relu);
                }
            }
        }

        /// <summary>
        /// C[0..6, 0..Nr) = (bias, or C itself when <paramref name="bias"/> is null) + Σ_p a[r·lda + p]·b[p·Nr + j], then max(·, 0) when <paramref name="relu"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Tile(int kc, float* a, nint lda, float* b, float* bias, float* c, nint ldc, bool relu)
        {
            var w = TOps.Count;
            TV c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
            if (bias is not null)
            {
                c00 = c10 = c20 = c30 = c40 = c50 = TOps.Load(bias);
                c01 = c11 = c21 = c31 = c41 = c51 = TOps.Load(bias + w);
            }
            else
            {
                (c00, c01) = (TOps.Load(c), TOps.Load(c + w));
                (c10, c11) = (TOps.Load(c + ldc), TOps.Load(c + ldc + w));
                (c20, c21) = (TOps.Load(c + (2 * ldc)), TOps.Load(c + (2 * ldc) + w));
                (c30, c31) = (TOps.Load(c + (3 * ldc)), TOps.Load(c + (3 * ldc) + w));
                (c40, c41) = (TOps.Load(c + (4 * ldc)), TOps.Load(c + (4 * ldc) + w));
                (c50, c51) = (TOps.Load(c + (5 * ldc)), TOps.Load(c + (5 * ldc) + w));
            }
            float* a0 = a, a1 = a + lda, a2 = a + (2 * lda), a3 = a + (3 * lda), a4 = a + (4 * lda), a5 = a + (5 * lda);
            for (var p = 0; p < kc; p++)
            {
                var b0 = TOps.Load(b);
                var b1 = TOps.Load(b + w);
                var ar = TOps.Broadcast(a0[p]);
                c00 = TOps.MultiplyAdd(ar, b0, c00);
                c01 = TOps.MultiplyAdd(ar, b1, c01);
                ar = TOps.Broadcast(a1[p]);
                c10 = TOps.MultiplyAdd(ar, b0, c10);
                c11 = TOps.MultiplyAdd(ar, b1, c11);
                ar = TOps.Broadcast(a2[p]);
                c20 = TOps.MultiplyAdd(ar, b0, c20);
                c21 = TOps.MultiplyAdd(ar, b1, c21);
                ar = TOps.Broadcast(a3[p]);
                c30 = TOps.MultiplyAdd(ar, b0, c30);
                c31 = TOps.MultiplyAdd(ar, b1, c31);
                ar = TOps.Broadcast(a4[p]);
                c40 = TOps.MultiplyAdd(ar, b0, c40);
                c41 = TOps.MultiplyAdd(ar, b1, c41);
                ar = TOps.Broadcast(a5[p]);
                c50 = TOps.MultiplyAdd(ar, b0, c50);
                c51 = TOps.MultiplyAdd(ar, b1, c51);
                b += 2 * w;
            }
            Store(c00, c01, c, relu);
            Store(c10, c11, c + ldc, relu);
            Store(c20, c21, c + (2 * ldc), relu);
            Store(c30, c31, c + (3 * ldc), relu);
            Store(c40, c41, c + (4 * ldc), relu);
            Store(c50, c51, c + (5 * ldc), relu);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(TV v0, TV v1, float* c, bool relu)
        {
            if (relu)
            {
                v0 = TOps.AtLeast(v0, TOps.Zero);
                v1 = TOps.AtLeast(v1, TOps.Zero);
            }
            TOps.Store(v0, c);
            TOps.Store(v1, c + TOps.Count);
        }
    }
}
