using Converge.Data;
using Converge.Modules;
using Converge.Tensors;

namespace Converge.Training;

/// <summary>
/// A model's outputs over many rows, computed a block of rows at a time, so scoring two million
/// validation rows holds one block's activations, not two million rows' worth, and no scaled copy of
/// the features. Blocks are small enough (<see cref="BlockRowsFor"/>) that their arrays stay off the
/// large-object heap, so each is reclaimed by the next cheap gen-0 collection instead of piling up
/// until a full one. The outputs are the same numbers as one forward pass over all rows: a model in
/// eval mode treats rows independently, and every block has at least <see cref="MinBlockRows"/> rows,
/// so the matrix products take the same kernel path (fewer rows than two blocks are done in one pass).
/// </summary>
internal static class BlockForward
{
    /// <summary>The fewest rows in a block: enough that no product of a layer at least 8 wide over at least 4 inputs takes the small-product path.</summary>
    public const int MinBlockRows = 128;

    /// <summary>Rows per block for arrays <paramref name="width"/> wide (the inputs or the widest layer): up to 128 wide they stay under 64 KiB.</summary>
    public static int BlockRowsFor(int width) => Math.Max(MinBlockRows, (16 * 1024) / Math.Max(width, 64));

    // The widest array a block makes: the inputs or a layer's output (a parameter's larger dimension bounds both).
    private static int WidestOf(Module model, int cols) =>
        model.Parameters().Aggregate(cols, static (w, p) => Math.Max(w, Math.Max(p.Rows, p.Cols)));

    /// <summary>
    /// Runs <paramref name="model"/> (in eval mode, without recording a graph) over row-major
    /// <paramref name="features"/>, each block scaled by <paramref name="scaler"/> when given; returns rows × outputs values.
    /// </summary>
    public static float[] Outputs(Module model, float[] features, int rows, int cols, StandardScaler? scaler, int blockRows = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        // Sized by the widest layer, not the inputs: 256 rows of a 128-wide layer would be 128 KiB arrays on the
        // large-object heap, which only a full collection reclaims (1 M rows peaked at 1.2 GB that way, 0.4 GB sized right).
        if (blockRows <= 0) blockRows = BlockRowsFor(WidestOf(model, cols));
        ArgumentNullException.ThrowIfNull(features);
        if (features.Length != (long)rows * cols)
            throw new ArgumentException($"BlockForward: {features.Length} values do not fill {rows} rows × {cols} columns.", nameof(features));
        using var _ = Tensor.NoGrad();
        if (rows < 2 * blockRows)
            return scaler is null ? model.Forward(new Tensor(features, rows, cols)).Data : Forward(model, features, rows, cols, scaler);
        float[]? outputs = null;
        var width = 0;
        for (var start = 0; start < rows; start += blockRows)
        {
            // The last block takes the remainder, so no block is small enough to change the kernel path.
            var size = rows - start < 2 * blockRows ? rows - start : blockRows;
            var block = Forward(model, features.AsSpan(start * cols, size * cols), size, cols, scaler);
            if (outputs is null)
            {
                width = block.Length / size;
                outputs = new float[(long)rows * width];
            }
            block.CopyTo(outputs.AsSpan(start * width, size * width));
            if (size != blockRows) break;
        }
        return outputs!;
    }

    private static float[] Forward(Module model, ReadOnlySpan<float> features, int rows, int cols, StandardScaler? scaler)
    {
        var x = features.ToArray();
        scaler?.Transform(x);
        return model.Forward(new Tensor(x, rows, cols)).Data;
    }
}
