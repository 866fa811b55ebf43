using System.Diagnostics.CodeAnalysis;
using System.Text;
using Converge.Kernels;

namespace Converge.Tensors;

/// <summary>
/// A float32 tensor of rank 0, 1 or 2 (row-major) with reverse-mode automatic differentiation.
/// Every op builds its result eagerly and records, side by side, how to recompute it from its
/// parents (<c>forward</c>) and how to push its gradient back to them (<c>backward</c>).
/// </summary>
/// <remarks>
/// Keeping the forward closure (not only the backward one) lets <see cref="Graph"/> replay a
/// recorded training step on new data without allocating: the same nodes, the same buffers.
/// </remarks>
public sealed partial class Tensor
{
    [ThreadStatic] private static int _noGradDepth;

    private Tensor[] _parents = [];
    private Action? _forward;
    private Action? _backward;
    private float[]? _grad;

    /// <summary>The values, row-major. Length is the product of <see cref="Shape"/>.</summary>
    public float[] Data { get; }

    /// <summary>The dimensions: empty for a scalar, [n] for a vector, [rows, cols] for a matrix.</summary>
    public int[] Shape { get; }

    /// <summary>Whether gradients flow into this tensor. Parameters are leaves that require grad.</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>An optional name, used in error messages, the state dictionary and the diagnosis.</summary>
    public string? Name { get; set; }

    /// <summary>The op that produced this tensor ("leaf" for data and parameters), for debugging.</summary>
    public string Op { get; private set; } = "leaf";

    public Tensor(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length > 2)
            throw new ArgumentException($"Tensors have rank 0, 1 or 2, got shape {ShapeToString(shape)}.", nameof(shape));
        var length = 1;
        foreach (var dim in shape)
        {
            if (dim < 0) throw new ArgumentException($"Negative dimension in shape {ShapeToString(shape)}.", nameof(shape));
            length *= dim;
        }
        if (length != data.Length)
            throw new ArgumentException($"Shape {ShapeToString(shape)} needs {length} values, got {data.Length}.", nameof(data));
        Data = data;
        Shape = shape;
    }

    public int Rank => Shape.Length;
    public int Length => Data.Length;

    /// <summary>Rows of the tensor viewed as a matrix: 1 for a scalar or vector.</summary>
    public int Rows => Rank == 2 ? Shape[0] : 1;

    /// <summary>Columns of the tensor viewed as a matrix: the length of a vector, 1 for a scalar.</summary>
    public int Cols => Rank switch { 2 => Shape[1], 1 => Shape[0], _ => 1 };

    /// <summary>The accumulated gradient, or null before any backward pass reached this tensor.</summary>
    public float[]? Grad => _grad;

    /// <summary>True for tensors not produced by an op: data and parameters.</summary>
    public bool IsLeaf => _forward is null;

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item()
    {
        if (Length != 1) throw new InvalidOperationException($"Item() needs a tensor with one element, got shape {ShapeToString(Shape)}.");
        return Data[0];
    }

    /// <summary>Value at (row, col) of a matrix.</summary>
    public float At(int row, int col) => Data[row * Cols + col];

    // ----- construction ---------------------------------------------------------------------

    public static Tensor Zeros(params int[] shape) => new(new float[Count(shape)], shape);

    public static Tensor Ones(params int[] shape) => Full(1f, shape);

    public static Tensor Full(float value, params int[] shape)
    {
        var data = new float[Count(shape)];
        Array.Fill(data, value);
        return new Tensor(data, shape);
    }

    public static Tensor Scalar(float value) => new([value]);

    public static Tensor FromArray(float[] values) => new(values, values.Length);

    public static Tensor FromRows(float[][] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var cols = rows.Length == 0 ? 0 : rows[0].Length;
        var data = new float[rows.Length * cols];
        for (var r = 0; r < rows.Length; r++)
        {
            if (rows[r].Length != cols)
                throw new ArgumentException($"Row {r} has {rows[r].Length} values, row 0 has {cols}.", nameof(rows));
            rows[r].CopyTo(data, r * cols);
        }
        return new Tensor(data, rows.Length, cols);
    }

    /// <summary>A parameter: a leaf that requires grad.</summary>
    public static Tensor Parameter(float[] data, params int[] shape) => new(data, shape) { RequiresGrad = true };

    /// <summary>A new leaf sharing nothing with this tensor's graph: same values (copied), no grad.</summary>
    public Tensor Detach() => new((float[])Data.Clone(), (int[])Shape.Clone());

    /// <summary>A copy of the data reshaped; the result is differentiable.</summary>
    public Tensor Reshape(params int[] shape)
    {
        if (Count(shape) != Length)
            throw new ArgumentException($"Cannot reshape {ShapeToString(Shape)} to {ShapeToString(shape)}.", nameof(shape));
        var output = NewResult(shape, "reshape", this);
        output.Define(
            forward: () => Data.CopyTo(output.Data, 0),
            backward: () => ElementwiseKernels.AccumulateInto(output._grad!, GradSpan()));   // grad += out.grad (same layout)
        return output;
    }

    // ----- gradients ------------------------------------------------------------------------

    /// <summary>Sets this tensor's gradient to zeros (keeps the buffer).</summary>
    public void ZeroGrad()
    {
        if (_grad is not null) Array.Clear(_grad);
    }

    /// <summary>Drops the gradient buffer (PyTorch's set_to_none).</summary>
    public void ClearGrad() => _grad = null;

    /// <summary>The gradient buffer, created as zeros on first use.</summary>
    internal float[] GradBuffer() => _grad ??= new float[Length];

    internal Span<float> GradSpan() => GradBuffer();

    /// <summary>
    /// Back-propagates from this scalar: seeds d(this)/d(this) = 1 and accumulates into the
    /// gradient of every tensor that requires it. Gradients of leaves accumulate across calls
    /// (call ZeroGrad between steps, as in PyTorch); those of intermediate results are reset.
    /// </summary>
    public void Backward()
    {
        if (Length != 1)
            throw new InvalidOperationException($"Backward() needs a scalar (one element), got shape {ShapeToString(Shape)}.");
        if (!RequiresGrad)
            throw new InvalidOperationException("Backward(): this tensor does not require grad (no parameter reaches it, or it was computed under NoGrad).");
        RunBackward(TopologicalOrder(gradOnly: true));
    }

    /// <summary>
    /// Back-propagates from a tensor of any shape, seeding d(this) with <paramref name="gradient"/>
    /// (PyTorch's <c>tensor.backward(gradient)</c>: the vector in the vector–Jacobian product). The
    /// gradient must have this tensor's shape; the result is that of <c>(this · gradient).Sum().Backward()</c>.
    /// </summary>
    public void Backward(Tensor gradient)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        if (!gradient.Shape.AsSpan().SequenceEqual(Shape))
            throw new ArgumentException($"Backward(gradient): the gradient has shape {ShapeToString(gradient.Shape)}, the tensor {ShapeToString(Shape)}.", nameof(gradient));
        if (!RequiresGrad)
            throw new InvalidOperationException("Backward(): this tensor does not require grad (no parameter reaches it, or it was computed under NoGrad).");
        RunBackward(TopologicalOrder(gradOnly: true), gradient.Data);
    }

    internal void RunBackward(List<Tensor> order, float[]? seed = null)
    {
        foreach (var node in order)
            if (!node.IsLeaf && node._grad is not null) Array.Clear(node._grad);
        if (seed is null) GradBuffer()[0] += 1f;
        else ElementwiseKernels.AccumulateInto(seed, GradBuffer());
        for (var i = order.Count - 1; i >= 0; i--)
            order[i]._backward?.Invoke();
    }

    /// <summary>
    /// Nodes reachable from this one (only those that require grad when <paramref name="gradOnly"/>),
    /// parents before children. Uses an explicit stack: a recursive walk overflows on deep graphs.
    /// </summary>
    internal List<Tensor> TopologicalOrder(bool gradOnly)
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor Node, int NextParent)>();
        stack.Push((this, 0));
        visited.Add(this);
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            if (next < node._parents.Length)
            {
                stack.Push((node, next + 1));
                var parent = node._parents[next];
                if ((parent.RequiresGrad || !gradOnly) && visited.Add(parent)) stack.Push((parent, 0));
            }
            else
            {
                order.Add(node);
            }
        }
        return order;
    }

    /// <summary>Runs this node's backward closure alone (diagnostics: <see cref="Graph.Profile"/>).</summary>
    internal void RunBackwardStep()
    {
        if (_grad is not null) _backward?.Invoke();
    }

    /// <summary>Recomputes this node's value from its parents (graph replay).</summary>
    internal void RunForward() => _forward?.Invoke();

    internal IReadOnlyList<Tensor> Parents => _parents;

    // ----- no-grad scope --------------------------------------------------------------------

    /// <summary>True unless inside a <see cref="NoGrad"/> scope on this thread.</summary>
    public static bool IsGradEnabled => _noGradDepth == 0;

    /// <summary>
    /// Within the returned scope, ops record no graph (PyTorch's <c>torch.no_grad()</c>):
    /// <c>using var _ = Tensor.NoGrad();</c>
    /// </summary>
    public static NoGradScope NoGrad()
    {
        _noGradDepth++;
        return new NoGradScope();
    }

    /// <summary>Ends a <see cref="NoGrad"/> scope when disposed.</summary>
    public readonly struct NoGradScope : IDisposable
    {
        public void Dispose() => _noGradDepth--;
    }

    // ----- op plumbing ----------------------------------------------------------------------

    /// <summary>
    /// A result tensor for an op. It requires grad when grad mode is on and a parent does.
    /// The caller then calls <see cref="Define"/> with the forward and backward closures.
    /// </summary>
    internal static Tensor NewResult(int[] shape, string op, params Tensor[] parents)
    {
        var output = new Tensor(new float[Count(shape)], shape) { Op = op };
        if (!IsGradEnabled) return output;
        // Parents are kept even when no gradient flows, so that a Graph can replay the forward pass.
        output._parents = parents;
        foreach (var parent in parents)
        {
            if (parent.RequiresGrad)
            {
                output.RequiresGrad = true;
                break;
            }
        }
        return output;
    }

    /// <summary>Runs the forward computation now and keeps both closures for replay and backward.</summary>
    internal void Define(Action forward, Action? backward)
    {
        forward();
        _forward = forward;
        if (RequiresGrad) _backward = backward;
    }

    /// <summary>
    /// Builds a differentiable op from outside this class (fused losses, BatchNorm): computes the
    /// result now and records the closures. Both closures receive the output tensor.
    /// </summary>
    internal static Tensor Custom(int[] shape, string op, Tensor[] parents, Action<Tensor> forward, Action<Tensor> backward)
    {
        var output = NewResult(shape, op, parents);
        output.Define(() => forward(output), () => backward(output));
        return output;
    }

    internal static int Count(int[] shape)
    {
        var n = 1;
        foreach (var d in shape) n *= d;
        return n;
    }

    public static string ShapeToString(int[] shape) => "[" + string.Join(", ", shape) + "]";

    [DoesNotReturn]
    internal static void ThrowShapeMismatch(string op, int[] a, int[] b) =>
        throw new ArgumentException($"{op}: shapes {ShapeToString(a)} and {ShapeToString(b)} do not match.");

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("Tensor(").Append(ShapeToString(Shape));
        if (Name is not null) sb.Append(", ").Append(Name);
        sb.Append(", [");
        var shown = Math.Min(Length, 8);
        for (var i = 0; i < shown; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(Data[i].ToString("G6", System.Globalization.CultureInfo.InvariantCulture));
        }
        if (Length > shown) sb.Append(", …");
        sb.Append("])");
        return sb.ToString();
    }
}
