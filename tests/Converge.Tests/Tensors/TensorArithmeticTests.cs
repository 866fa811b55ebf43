using Converge.Tensors;

namespace Converge.Tests.Tensors;

/// <summary>
/// Add/Sub/Mul/Div for every broadcast layout (full, row, column, scalar; the broadcast operand on
/// either side), their float overloads and operators. Values are compared with a double-precision
/// NumPy-style broadcast written here; gradients with <see cref="GradCheck"/>.
/// </summary>
public class TensorArithmeticTests
{
    public static TheoryData<string, int[], int[]> Layouts()
    {
        int[][][] pairs =
        [
            [[2, 3], [2, 3]],   // full, full
            [[2, 3], [3]],      // full, row vector
            [[3], [2, 3]],      // row vector, full
            [[2, 3], [1, 3]],   // full, row as a matrix
            [[1, 3], [2, 3]],
            [[2, 3], [2, 1]],   // full, column
            [[2, 1], [2, 3]],   // column, full
            [[2, 3], []],       // full, scalar
            [[], [2, 3]],       // scalar, full
            [[2, 3], [1, 1]],   // full, 1×1
            [[1, 1], [2, 3]],
            [[2, 3], [1]],      // full, one-element vector
            [[3], [2, 1]],      // row and column: outer broadcast to [2, 3]
            [[2, 1], [1, 3]],
            [[4], [4]],         // vectors
            [[4], []],
            [[], [4]],
            [[], []],           // scalars
        ];
        var data = new TheoryData<string, int[], int[]>();
        foreach (var op in new[] { "add", "sub", "mul", "div" })
            foreach (var pair in pairs) data.Add(op, pair[0], pair[1]);
        return data;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Binary_op_matches_a_double_broadcast_and_passes_gradcheck(string op, int[] aShape, int[] bShape)
    {
        var a = GradCheck.Parameter(1, aShape);
        // Denominators stay in ±[0.5, 2] so that 1/b and a/b² are well conditioned.
        var b = GradCheck.Parameter(2, bShape, reject: op == "div" ? static x => MathF.Abs(x) < 0.5f : null);
        Func<Tensor> f = op switch
        {
            "add" => () => a + b,
            "sub" => () => a - b,
            "mul" => () => a * b,
            _ => () => a / b,
        };
        Func<double, double, double> reference = op switch
        {
            "add" => static (x, y) => x + y,
            "sub" => static (x, y) => x - y,
            "mul" => static (x, y) => x * y,
            _ => static (x, y) => x / y,
        };

        var (expected, expectedShape) = BroadcastReference(a, b, reference);
        var output = f();
        Assert.Equal(expectedShape, output.Shape);
        ReferenceVectors.Close(expected, output.Data, 1e-6, 1e-7, op);
        GradCheck.Check(f, a, b);
    }

    [Fact]
    public void Gradient_reaches_only_the_operand_that_requires_it()
    {
        var a = GradCheck.Parameter(3, [2, 3]);
        var b = new Tensor([1f, 2f, 3f], 3);
        (a * b).Sum().Backward();
        Assert.Null(b.Grad);
        Assert.Equal([1f, 2f, 3f, 1f, 2f, 3f], a.Grad!);
    }

    [Fact]
    public void Float_overloads_and_operators_match_the_scalar_tensor_forms()
    {
        var a = GradCheck.Parameter(4, [2, 3], reject: static x => MathF.Abs(x) < 0.5f);
        (string Name, Func<Tensor> F, Func<double, double> Reference)[] cases =
        [
            ("a + 2.5", () => a + 2.5f, static x => x + 2.5),
            ("2.5 + a", () => 2.5f + a, static x => 2.5 + x),
            ("a - 2.5", () => a - 2.5f, static x => x - 2.5),
            ("2.5 - a", () => 2.5f - a, static x => 2.5 - x),
            ("a * -1.5", () => a * -1.5f, static x => x * -1.5),
            ("-1.5 * a", () => -1.5f * a, static x => -1.5 * x),
            ("a / 4", () => a / 4f, static x => x / 4),
            ("3 / a", () => 3f / a, static x => 3 / x),
            ("-a", () => -a, static x => -x),
            ("Add(2)", () => a.Add(2f), static x => x + 2),
            ("Sub(2)", () => a.Sub(2f), static x => x - 2),
            ("Mul(2)", () => a.Mul(2f), static x => x * 2),
            ("Div(2)", () => a.Div(2f), static x => x / 2),
        ];
        foreach (var (name, f, reference) in cases)
        {
            var output = f();
            Assert.Equal(a.Shape, output.Shape);
            ReferenceVectors.Close([.. a.Data.Select(x => reference(x))], output.Data, 1e-6, 1e-7, name);
            GradCheck.Check(f, a);
        }
    }

    [Fact]
    public void AddRow_adds_a_bias_to_every_row_and_null_adds_nothing()
    {
        var x = GradCheck.Parameter(5, [3, 2]);
        var bias = GradCheck.Parameter(6, [2]);
        Assert.Same(x, x.AddRow(null));
        GradCheck.Check(() => x.AddRow(bias), x, bias);
    }

    [Theory]
    [InlineData("Add")]
    [InlineData("Sub")]
    [InlineData("Mul")]
    [InlineData("Div")]
    public void Shape_mismatch_message_names_the_op_and_both_shapes(string op)
    {
        foreach (var (a, b) in new[] { (Tensor.Zeros(2, 3), Tensor.Zeros(4)), (Tensor.Zeros(2, 3), Tensor.Zeros(3, 2)), (Tensor.Zeros(2), Tensor.Zeros(3)) })
        {
            Action call = op switch
            {
                "Add" => () => a.Add(b),
                "Sub" => () => a.Sub(b),
                "Mul" => () => a.Mul(b),
                _ => () => a.Div(b),
            };
            var ex = Assert.Throws<ArgumentException>(call);
            Assert.Contains(op, ex.Message, StringComparison.Ordinal);
            Assert.Contains(Tensor.ShapeToString(a.Shape), ex.Message, StringComparison.Ordinal);
            Assert.Contains(Tensor.ShapeToString(b.Shape), ex.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>NumPy's right-aligned broadcasting for rank ≤ 2, in double.</summary>
    private static (double[] Values, int[] Shape) BroadcastReference(Tensor a, Tensor b, Func<double, double, double> op)
    {
        static (int Rows, int Cols) AsMatrix(Tensor t) => t.Rank switch { 2 => (t.Shape[0], t.Shape[1]), 1 => (1, t.Shape[0]), _ => (1, 1) };
        var (ar, ac) = AsMatrix(a);
        var (br, bc) = AsMatrix(b);
        var (rows, cols) = (Math.Max(ar, br), Math.Max(ac, bc));
        var values = new double[rows * cols];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
                values[r * cols + c] = op(a.Data[(ar == 1 ? 0 : r) * ac + (ac == 1 ? 0 : c)], b.Data[(br == 1 ? 0 : r) * bc + (bc == 1 ? 0 : c)]);
        int[] shape = Math.Max(a.Rank, b.Rank) switch { 2 => [rows, cols], 1 => [cols], _ => [] };
        return (values, shape);
    }
}
