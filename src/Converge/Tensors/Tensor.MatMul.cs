using Converge.Kernels;

namespace Converge.Tensors;

// Matrix products. C = A·B has dA = G·Bᵀ and dB = Aᵀ·G; with a transposed operand the same
// identities are read with the transpose moved (see each backward).
public sealed partial class Tensor
{
    /// <summary>[m, k] · [k, n] → [m, n].</summary>
    public Tensor MatMul(Tensor other)
    {
        if (Rank != 2 || other.Rank != 2 || Shape[1] != other.Shape[0])
            ThrowShapeMismatch("MatMul", Shape, other.Shape);
        var (m, k, n) = (Shape[0], Shape[1], other.Shape[1]);
        var output = NewResult([m, n], "matmul", this, other);
        output.Define(
            forward: () => Gemm.Multiply(Data, other.Data, output.Data, m, n, k, transposeA: false, transposeB: false, accumulate: false),
            backward: () =>
            {
                if (RequiresGrad) Gemm.Multiply(output._grad!, other.Data, GradBuffer(), m, k, n, transposeA: false, transposeB: true, accumulate: true);      // dA += G·Bᵀ
                if (other.RequiresGrad) Gemm.Multiply(Data, output._grad!, other.GradBuffer(), k, n, m, transposeA: true, transposeB: false, accumulate: true); // dB += Aᵀ·G
            });
        return output;
    }

    /// <summary>[m, k] · [n, k]ᵀ → [m, n]: a Linear layer's x·Wᵀ without materializing Wᵀ.</summary>
    public Tensor MatMulTransposed(Tensor other)
    {
        if (Rank != 2 || other.Rank != 2 || Shape[1] != other.Shape[1])
            ThrowShapeMismatch("MatMulTransposed", Shape, other.Shape);
        var (m, k, n) = (Shape[0], Shape[1], other.Shape[0]);
        var output = NewResult([m, n], "matmul_t", this, other);
        output.Define(
            forward: () => Gemm.Multiply(Data, other.Data, output.Data, m, n, k, transposeA: false, transposeB: true, accumulate: false),
            backward: () =>
            {
                if (RequiresGrad) Gemm.Multiply(output._grad!, other.Data, GradBuffer(), m, k, n, transposeA: false, transposeB: false, accumulate: true);      // dA += G·B
                if (other.RequiresGrad) Gemm.Multiply(output._grad!, Data, other.GradBuffer(), n, k, m, transposeA: true, transposeB: false, accumulate: true); // dB += Gᵀ·A
            });
        return output;
    }
}
