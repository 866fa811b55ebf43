using System.Globalization;
using System.Text;
using System.Text.Json;
using Converge.Data;

namespace Converge.Export;

/// <summary>
/// The layout of an exported model's <c>features</c> input [batch, <see cref="Width"/>]: one float per
/// non-dropped source column, in <see cref="PreprocessingSpec.Columns"/> order. A numeric column is its
/// number; a categorical column is the 0-based index of its category in the saved vocabulary (−1 for a
/// category the model never saw); NaN marks a missing value, which the graph imputes. Encodes CSV rows
/// into that vector so ONNX Runtime can be fed from the same files Converge reads.
/// </summary>
public sealed class OnnxInputLayout
{
    private readonly OnnxInputColumn[] _columns;

    private OnnxInputLayout(OnnxInputColumn[] columns, MissingPolicy missingPolicy)
    {
        _columns = columns;
        MissingPolicy = missingPolicy;
    }

    /// <summary>The input columns in input order.</summary>
    public IReadOnlyList<OnnxInputColumn> Columns => _columns;

    /// <summary>Floats per input row (C).</summary>
    public int Width => _columns.Length;

    /// <summary>The model's missing-value policy; <see cref="MissingPolicy.Error"/> makes the encoder reject missing cells, as Converge does.</summary>
    public MissingPolicy MissingPolicy { get; }

    /// <summary>The layout of the model's exported input.</summary>
    public static OnnxInputLayout For(BinaryClassifier model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return For(model.Preprocessing);
    }

    /// <summary>The layout for a fitted preprocessing spec (dropped columns are skipped).</summary>
    public static OnnxInputLayout For(PreprocessingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Preprocessor.FromSpec(spec); // validates vocabularies, impute values and feature names
        var columns = new List<OnnxInputColumn>();
        foreach (var c in spec.Columns)
        {
            if (c.Kind == ColumnKind.Dropped) continue;
            columns.Add(c.Kind == ColumnKind.Numeric
                ? new OnnxInputColumn(columns.Count, c.Name, c.Kind, c.ImputeValue, null, null)
                : new OnnxInputColumn(columns.Count, c.Name, c.Kind, null, c.ImputeCategory, [.. c.Vocabulary!]));
        }
        return new OnnxInputLayout([.. columns], spec.MissingPolicy);
    }

    /// <summary>Encodes one row given as cells by column name (extra names are ignored; null or empty = missing).</summary>
    public float[] EncodeRow(IReadOnlyDictionary<string, string?> cells, string sourceName = "row", int? lineNumber = null)
    {
        var row = new float[Width];
        EncodeRow(cells, row, sourceName, lineNumber);
        return row;
    }

    /// <summary>Encodes one row into <paramref name="destination"/> (length <see cref="Width"/>).</summary>
    public void EncodeRow(IReadOnlyDictionary<string, string?> cells, Span<float> destination, string sourceName = "row", int? lineNumber = null)
    {
        ArgumentNullException.ThrowIfNull(cells);
        CheckDestination(destination.Length);
        foreach (var column in _columns)
        {
            if (!cells.TryGetValue(column.Name, out var cell))
                throw new DataError(sourceName, lineNumber, column.Name, null, "the row has no value for this column, which the model needs.");
            destination[column.Index] = EncodeCell(column, cell, sourceName, lineNumber);
        }
    }

    /// <summary>Encodes every row of a table, row-major [RowCount, <see cref="Width"/>]; columns are matched by name.</summary>
    public float[] Encode(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var sources = _columns.Select(c => table.RequireColumn(c.Name, "column the model needs")).ToArray();
        var data = new float[(long)table.RowCount * Width];
        for (var r = 0; r < table.RowCount; r++)
        {
            for (var i = 0; i < _columns.Length; i++)
                data[(long)r * Width + i] = EncodeCell(_columns[i], table[r, sources[i]], table.SourceName, table.LineNumber(r));
        }
        return data;
    }

    /// <summary>The columns as a JSON array (name, index, kind, impute, vocabulary), as stored in the model's metadata.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartArray();
            foreach (var c in _columns)
            {
                w.WriteStartObject();
                w.WriteNumber("index", c.Index);
                w.WriteString("name", c.Name);
                if (c.Kind == ColumnKind.Numeric)
                {
                    w.WriteString("kind", "numeric");
                    w.WriteNumber("impute", c.ImputeValue!.Value);
                }
                else
                {
                    w.WriteString("kind", "categorical");
                    w.WriteString("impute", c.ImputeCategory);
                    w.WriteNumber("impute_index", c.ImputeIndex!.Value);
                    w.WriteStartArray("vocabulary");
                    foreach (var v in c.Vocabulary!) w.WriteStringValue(v);
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>One line per column, e.g. <c>[2] color: categorical index into ["blue", "red"] (missing → "red")</c>.</summary>
    public IReadOnlyList<string> Describe()
    {
        const int Shown = 8;
        return
        [
            .. _columns.Select(c =>
            {
                if (c.Kind == ColumnKind.Numeric)
                    return string.Create(CultureInfo.InvariantCulture, $"[{c.Index}] {c.Name}: number (missing → median {c.ImputeValue!.Value:G6})");
                var vocabulary = DataError.QuoteList(c.Vocabulary!, Shown);
                return string.Create(CultureInfo.InvariantCulture,
                    $"[{c.Index}] {c.Name}: category index into [{vocabulary}] (missing → {c.ImputeIndex} = {DataError.Quote(c.ImputeCategory)}; unseen → -1)");
            }),
        ];
    }

    private float EncodeCell(OnnxInputColumn column, string? cell, string sourceName, int? lineNumber)
    {
        if (string.IsNullOrEmpty(cell) && MissingPolicy == MissingPolicy.Error)
            throw new DataError(sourceName, lineNumber, column.Name, null, "the value is missing (the missing-value policy is Error).");
        return column.Encode(cell, sourceName, lineNumber);
    }

    private void CheckDestination(int length)
    {
        if (length != Width)
            throw new ArgumentException($"OnnxInputLayout: destination has {length} values, expected {Width}.", "destination");
    }
}
