namespace Converge.Data;

/// <summary>
/// Turns raw CSV cells into the numeric features of a binary classifier: numeric columns are robustly
/// scaled and clipped (missing → training median, flagged by an indicator feature), text columns become
/// one-hot categories (rare and unseen levels → "(other)", missing → its own level), ids and free text
/// are dropped, and the label
/// becomes 0/1 (see <see cref="LabelMapping"/>). Everything is fitted on training rows only and kept
/// in <see cref="Spec"/>, plain data that a model file stores as JSON.
/// </summary>
public sealed class Preprocessor
{
    private Preprocessor(PreprocessingSpec spec) => Spec = spec;

    /// <summary>The fitted state.</summary>
    public PreprocessingSpec Spec { get; }

    /// <summary>The label column and its positive class.</summary>
    public LabelMapping Label => Spec.Label;

    /// <summary>Names of the encoded features, in the order the network sees them.</summary>
    public IReadOnlyList<string> FeatureNames => Spec.FeatureNames;

    /// <summary>The number of encoded features.</summary>
    public int FeatureCount => Spec.FeatureNames.Count;

    /// <summary>
    /// Fits column treatments on <paramref name="trainRows"/> (indices into <paramref name="table"/>).
    /// The label classes come from all rows (see <see cref="LabelMapping.Infer"/>) unless the caller
    /// has inferred them already and passes <paramref name="label"/>.
    /// </summary>
    public static PreprocessorFit Fit(CsvTable table, PreprocessorOptions options, IReadOnlyList<int> trainRows, LabelMapping? label = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(trainRows);
        options.Validate();
        if (trainRows.Count == 0) throw new ArgumentException("Preprocessor.Fit: there are no training rows.", nameof(trainRows));
        foreach (var r in trainRows)
        {
            if ((uint)r >= (uint)table.RowCount)
                throw new ArgumentOutOfRangeException(nameof(trainRows), $"Preprocessor.Fit: row {r} is outside the table's {table.RowCount} rows.");
        }

        var labelIndex = table.RequireColumn(options.Label, "label column");
        CheckNames(table, options.Ignore, options.Label, "the ignore list");
        CheckNames(table, options.Keep, options.Label, "the keep list");
        var both = options.Keep.FirstOrDefault(k => options.Ignore.Contains(k, StringComparer.Ordinal));
        if (both is not null)
            throw new DataError(table.SourceName, null, both, null, "the column is listed both to ignore and to keep.");

        label ??= LabelMapping.Infer(table, options.Label, options.Positive);
        var notices = new List<DataNotice>();
        var columns = new List<ColumnSpec>();
        var scratch = new List<double>(trainRows.Count);
        for (var c = 0; c < table.ColumnCount; c++)
        {
            if (c == labelIndex) continue;
            var name = table.ColumnNames[c];
            if (options.Ignore.Contains(name, StringComparer.Ordinal))
            {
                columns.Add(new ColumnSpec { Name = name, Kind = ColumnKind.Dropped, Reason = "ignored as asked" });
                notices.Add(new(name, $"ignored column '{name}' as asked"));
                continue;
            }
            var keep = options.Keep.Contains(name, StringComparer.Ordinal);
            columns.Add(ColumnAnalyzer.Analyze(table, c, trainRows, options, keep, notices, scratch));
        }
        var featureNames = PreprocessingSpec.FeatureNamesOf(columns);
        if (featureNames.Count == 0)
            throw new DataError(table.SourceName, null, null, null,
                "no usable feature columns remain: " + string.Join("; ", columns.Select(static c => $"'{c.Name}' {c.Reason}")) +
                (DecimalCommaHint(table) ? ". Values such as '0,5' look like decimal commas: Converge reads numbers with a decimal point." : "."));
        var usesVersion2 = columns.Any(static c => c.Center is not null || c.MissingIndicator || c.OtherCategory is not null);
        var spec = new PreprocessingSpec
        {
            FormatVersion = usesVersion2 ? 2 : 1, Columns = columns, Label = label, MissingPolicy = options.MissingPolicy, FeatureNames = featureNames,
        };
        return new PreprocessorFit(new Preprocessor(spec), notices);
    }

    // A ';'-separated file whose cells look like "12,5" was most likely written with decimal commas.
    private static bool DecimalCommaHint(CsvTable table) =>
        Enumerable.Range(0, table.ColumnCount).Any(c => table.Column(c).Take(20).Any(static v => v is not null && System.Text.RegularExpressions.Regex.IsMatch(v, @"^-?\d+,\d+$")));

    /// <summary>Restores a fitted preprocessor from saved state, checking that it is consistent.</summary>
    public static Preprocessor FromSpec(PreprocessingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(spec.Columns);
        ArgumentNullException.ThrowIfNull(spec.Label);
        if (spec.FormatVersion is < 1 or > PreprocessingSpec.LatestFormatVersion)
            throw new ArgumentException($"PreprocessingSpec: format version {spec.FormatVersion} is not one this version reads (1 to {PreprocessingSpec.LatestFormatVersion}).", nameof(spec));
        foreach (var c in spec.Columns)
        {
            var ok = c.Kind switch
            {
                ColumnKind.Numeric => c.ImputeValue is { } v && double.IsFinite(v)
                    && (c.Center is null) == (c.Spread is null) && (c.Center is null || (double.IsFinite(c.Center.Value) && c.Spread > 0 && double.IsFinite(c.Spread.Value)))
                    && (!c.Clip || c.Center is not null) && c.OtherCategory is null,
                ColumnKind.Categorical => c.Vocabulary is { Count: > 0 } vocab && c.ImputeCategory is { } m && vocab.Contains(m, StringComparer.Ordinal)
                    && (c.OtherCategory is null || vocab.Contains(c.OtherCategory, StringComparer.Ordinal)) && c.Center is null && !c.MissingIndicator,
                _ => true,
            };
            if (!ok) throw new ArgumentException($"PreprocessingSpec: column {DataError.Quote(c.Name)} ({c.Kind}) lacks its impute value or vocabulary, or has an invalid scaling.", nameof(spec));
            if (spec.FormatVersion < 2 && (c.Center is not null || c.MissingIndicator || c.OtherCategory is not null))
                throw new ArgumentException($"PreprocessingSpec: column {DataError.Quote(c.Name)} uses format-2 fields in a format-{spec.FormatVersion} spec.", nameof(spec));
        }
        var expected = PreprocessingSpec.FeatureNamesOf(spec.Columns);
        if (spec.FeatureNames is null || !expected.SequenceEqual(spec.FeatureNames, StringComparer.Ordinal))
            throw new ArgumentException($"PreprocessingSpec: FeatureNames ({spec.FeatureNames?.Count ?? 0}) do not match the columns ({expected.Count} features).", nameof(spec));
        return new Preprocessor(spec);
    }

    /// <summary>
    /// Maps a file's header to the fitted columns, by name and in any order. A column the features
    /// need but the header lacks is a <see cref="DataError"/> naming it; extra columns are ignored;
    /// the label column is optional.
    /// </summary>
    public RowTransformer Bind(IReadOnlyList<string> columnNames, string sourceName) => new(Spec, columnNames, sourceName);

    /// <summary>Transforms the given rows (all rows when null) of a table.</summary>
    public TransformResult Transform(CsvTable table, IReadOnlyList<int>? rows = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var binder = Bind(table.ColumnNames, table.SourceName);
        var n = rows?.Count ?? table.RowCount;
        var width = FeatureCount;
        var data = new float[(long)n * width];
        var labels = binder.HasLabel ? new float[n] : null;
        for (var i = 0; i < n; i++)
        {
            var r = rows is null ? i : rows[i];
            if ((uint)r >= (uint)table.RowCount)
                throw new ArgumentOutOfRangeException(nameof(rows), $"Preprocessor.Transform: row {r} is outside the table's {table.RowCount} rows.");
            binder.TransformRow(table, r, data.AsSpan(i * width, width));
            if (labels is not null) labels[i] = binder.ReadLabel(table, r);
        }
        var features = new FeatureMatrix(data, n, width, FeatureNames, labels);
        return new TransformResult(features, binder.Notices(), binder.UnseenCategories, binder.Imputed);
    }

    private static void CheckNames(CsvTable table, IReadOnlyList<string> names, string label, string role)
    {
        var missing = names.Where(n => table.IndexOf(n) < 0).ToList();
        if (missing.Count > 0) throw CsvTable.MissingColumns(table.SourceName, missing, table.ColumnNames, $"column (in {role})", $"listed in {role}");
        foreach (var name in names)
        {
            if (string.Equals(name, label, StringComparison.Ordinal))
                throw new DataError(table.SourceName, null, name, null, $"the label column cannot also be listed in {role}.");
        }
    }
}
