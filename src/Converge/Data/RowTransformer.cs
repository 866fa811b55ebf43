namespace Converge.Data;

/// <summary>
/// A <see cref="Preprocessor"/> bound to one file's header: it turns rows of that file into
/// features one at a time (for streaming prediction) and counts imputed and unseen values as it
/// goes. Not thread-safe: the counters are plain fields.
/// </summary>
public sealed class RowTransformer
{
    private readonly Slot[] _slots;
    private readonly int _labelIndex;
    private readonly LabelMapping _label;
    private readonly MissingPolicy _missingPolicy;
    private readonly int[] _imputed;
    private readonly int[] _unseen;
    private readonly string?[] _firstUnseen;

    internal RowTransformer(PreprocessingSpec spec, IReadOnlyList<string> columnNames, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(columnNames);
        SourceName = sourceName;
        _label = spec.Label;
        _missingPolicy = spec.MissingPolicy;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < columnNames.Count; i++) index.TryAdd(columnNames[i], i);

        var missing = spec.Columns.Where(c => c.Kind != ColumnKind.Dropped && !index.ContainsKey(c.Name)).Select(static c => c.Name).ToList();
        if (missing.Count > 0)
            throw CsvTable.MissingColumns(sourceName, missing, columnNames, "column the model needs, and no column", "the model needs them");
        var slots = new List<Slot>();
        var offset = 0;
        foreach (var column in spec.Columns)
        {
            if (column.Kind == ColumnKind.Dropped) continue;
            var source = index[column.Name];
            var lookup = column.Kind == ColumnKind.Categorical
                ? column.Vocabulary!.Select((v, k) => (v, k)).ToDictionary(p => p.v, p => p.k, StringComparer.Ordinal)
                : null;
            slots.Add(new Slot(column, source, offset, lookup));
            offset += column.Width;
        }
        _slots = [.. slots];
        FeatureCount = offset;
        _labelIndex = index.GetValueOrDefault(spec.Label.Column, -1);
        _imputed = new int[_slots.Length];
        _unseen = new int[_slots.Length];
        _firstUnseen = new string?[_slots.Length];
    }

    /// <summary>The file or source name used in messages.</summary>
    public string SourceName { get; }

    /// <summary>The number of encoded features each row produces.</summary>
    public int FeatureCount { get; }

    /// <summary>Whether the bound header has the label column.</summary>
    public bool HasLabel => _labelIndex >= 0;

    /// <summary>Per categorical column, values not in the training vocabulary so far (encoded as the pooled level, or all zeros without one).</summary>
    public IReadOnlyDictionary<string, int> UnseenCategories => Counts(_unseen);

    /// <summary>Per column, missing values imputed so far.</summary>
    public IReadOnlyDictionary<string, int> Imputed => Counts(_imputed);

    /// <summary>Writes the features of one row (cells in the bound header's order) into <paramref name="destination"/>.</summary>
    public void TransformRow(IReadOnlyList<string?> cells, int? lineNumber, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(cells);
        CheckDestination(destination);
        for (var s = 0; s < _slots.Length; s++)
        {
            var source = _slots[s].Source;
            if (source >= cells.Count)
                throw new DataError(SourceName, lineNumber, _slots[s].Column.Name, null, $"the row has {cells.Count} fields, too few to reach this column.");
            Encode(s, cells[source], lineNumber, destination);
        }
    }

    /// <summary>Writes the features of one streamed row into <paramref name="destination"/>.</summary>
    public void TransformRow(CsvRow row, Span<float> destination) => TransformRow(row.Cells, row.LineNumber, destination);

    /// <summary>The row's 0/1 label; requires <see cref="HasLabel"/>.</summary>
    public float ReadLabel(IReadOnlyList<string?> cells, int? lineNumber)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (!HasLabel) throw new InvalidOperationException($"RowTransformer: {SourceName} has no label column {DataError.Quote(_label.Column)}.");
        return _label.Encode(cells[_labelIndex], SourceName, lineNumber);
    }

    /// <summary>One line per column with imputed or unseen values so far.</summary>
    public IReadOnlyList<DataNotice> Notices()
    {
        var notices = new List<DataNotice>();
        for (var s = 0; s < _slots.Length; s++)
        {
            var column = _slots[s].Column;
            if (_imputed[s] > 0)
            {
                var with = column.Kind == ColumnKind.Numeric
                    ? $"median {ColumnAnalyzer.Format(column.ImputeValue!.Value)}"
                    : $"most frequent {DataError.Quote(column.ImputeCategory)}";
                notices.Add(new(column.Name, $"imputed {Plural.Of(_imputed[s], "missing value")} in '{column.Name}' with {with}"));
            }
            if (_unseen[s] > 0)
                notices.Add(new(column.Name, $"{Plural.Of(_unseen[s], "value")} in '{column.Name}' {(_unseen[s] == 1 ? "was a category" : "were categories")} not seen in training "
                    + $"(first: {DataError.Quote(_firstUnseen[s])}); "
                    + (column.OtherCategory is { } other ? $"encoded as {DataError.Quote(other)}" : "encoded as all zeros")));
        }
        return notices;
    }

    internal void TransformRow(CsvTable table, int row, Span<float> destination)
    {
        CheckDestination(destination);
        var line = table.LineNumber(row);
        for (var s = 0; s < _slots.Length; s++)
        {
            var source = _slots[s].Source;
            if (_slots[s].Column.Kind != ColumnKind.Numeric)
            {
                Encode(s, table[row, source], line, destination);
                continue;
            }
            // Numbers straight from the table's store: no text is made unless it goes in an error.
            var missing = table.IsMissing(row, source);
            var value = 0.0;
            if (!missing && !table.TryGetNumber(row, source, out value)) value = double.NaN;
            EncodeNumber(s, missing, value, line, destination, null, table, row);
        }
    }

    internal float ReadLabel(CsvTable table, int row) => _label.Encode(table[row, _labelIndex], SourceName, table.LineNumber(row));

    private void Encode(int s, string? cell, int? line, Span<float> destination)
    {
        if (_slots[s].Column.Kind == ColumnKind.Numeric)
        {
            var value = 0.0;
            if (cell is not null && !ColumnAnalyzer.TryNumber(cell, out value)) value = double.NaN;
            EncodeNumber(s, cell is null, value, line, destination, cell, null, 0);
            return;
        }
        ref readonly var slot = ref _slots[s];
        var column = slot.Column;
        if (cell is null) CountMissing(s, line);
        var oneHot = destination.Slice(slot.Offset, column.Width);
        oneHot.Clear();
        if (slot.Vocabulary!.TryGetValue(cell ?? column.ImputeCategory!, out var k)) oneHot[k] = 1f;
        else
        {
            _unseen[s]++;
            _firstUnseen[s] ??= cell;
            if (column.OtherCategory is { } other) oneHot[slot.Vocabulary[other]] = 1f;
        }
    }

    // value is NaN for a present cell that is not a number; the cell's text (given, or from the table) goes only in an error.
    private void EncodeNumber(int s, bool missing, double value, int? line, Span<float> destination, string? text, CsvTable? table, int row)
    {
        ref readonly var slot = ref _slots[s];
        var column = slot.Column;
        if (missing)
        {
            CountMissing(s, line);
            value = column.ImputeValue!.Value;
        }
        else if (double.IsNaN(value))
        {
            var cell = table is null ? text : table[row, slot.Source];
            throw new DataError(SourceName, line, column.Name, cell, $"cannot read {DataError.Quote(cell)} as a number.");
        }
        // Finite in double is not enough: the features are float32, and 1e39 would become infinity.
        if (Math.Abs(value) > float.MaxValue)
        {
            var cell = table is null ? text : table[row, slot.Source];
            throw new DataError(SourceName, line, column.Name, cell, $"{DataError.Quote(cell)} is outside the float32 range (±3.4e38) that Converge computes in; rescale the column.");
        }
        // Scaled from the float-rounded number, as the ONNX export (which takes float inputs) does.
        destination[slot.Offset] = (float)PreprocessingSpec.Scale(column, (float)value);
        if (column.MissingIndicator) destination[slot.Offset + 1] = missing ? 1f : 0f;
    }

    private void CountMissing(int s, int? line)
    {
        if (_missingPolicy == MissingPolicy.Error)
            throw new DataError(SourceName, line, _slots[s].Column.Name, null, "the value is missing (the missing-value policy is Error).");
        _imputed[s]++;
    }

    private void CheckDestination(Span<float> destination)
    {
        if (destination.Length != FeatureCount)
            throw new ArgumentException($"RowTransformer: destination has {destination.Length} values, expected {FeatureCount}.", nameof(destination));
    }

    private Dictionary<string, int> Counts(int[] counts)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var s = 0; s < _slots.Length; s++)
        {
            if (counts[s] > 0) result[_slots[s].Column.Name] = counts[s];
        }
        return result;
    }

    private readonly record struct Slot(ColumnSpec Column, int Source, int Offset, Dictionary<string, int>? Vocabulary);
}
