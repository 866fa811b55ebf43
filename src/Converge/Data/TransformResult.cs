namespace Converge.Data;

/// <summary>The result of <see cref="Preprocessor.Fit"/>.</summary>
/// <param name="Preprocessor">The fitted preprocessor.</param>
/// <param name="Notices">What was decided: dropped columns, imputations, warnings.</param>
public sealed record PreprocessorFit(Preprocessor Preprocessor, IReadOnlyList<DataNotice> Notices);

/// <summary>The result of <see cref="Preprocessor.Transform"/>.</summary>
/// <param name="Features">The feature matrix (with labels when the label column was present).</param>
/// <param name="Notices">Imputations and unseen categories, one line per column.</param>
/// <param name="UnseenCategories">Per categorical column, how many values were not in its training vocabulary (encoded all zeros).</param>
/// <param name="Imputed">Per column, how many missing values were imputed.</param>
public sealed record TransformResult(
    FeatureMatrix Features,
    IReadOnlyList<DataNotice> Notices,
    IReadOnlyDictionary<string, int> UnseenCategories,
    IReadOnlyDictionary<string, int> Imputed);
