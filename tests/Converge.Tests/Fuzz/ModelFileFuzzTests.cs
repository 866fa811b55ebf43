using System.Text;
using Converge.Persistence;
using Converge.Training;

namespace Converge.Tests.Fuzz;

/// <summary>
/// Mutation tests for the model loader: random byte edits, insertions, truncations and header splices
/// of a saved model either load into a classifier that predicts exactly what the original does, or
/// fail with a <see cref="ModelFileException"/>; no other exception, and never a different answer.
/// </summary>
public sealed class ModelFileFuzzTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"converge-fuzz-{Guid.NewGuid():N}.safetensors");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Mutated_model_files_load_identically_or_fail_cleanly()
    {
        var x = new float[60];
        var y = new float[20];
        for (var i = 0; i < 20; i++) (x[3 * i], x[3 * i + 1], x[3 * i + 2], y[i]) = (i, i % 3, i * 0.5f - 3, i >= 10 ? 1 : 0);
        BinaryClassifier.Fit(x, y, 20, 3, new TrainingOptions { Epochs = 3, Hidden = [4, 3], Normalize = Normalization.BatchNorm }).Classifier.Save(_path);
        var original = File.ReadAllBytes(_path);
        var expected = BinaryClassifier.Load(_path).PredictProbabilities(x, 20);
        var headerEnd = 8 + (int)BitConverter.ToUInt64(original, 0);

        var random = new Random(FuzzBudget.Seed(3));
        var cases = FuzzBudget.Cases(600);
        byte[] tokens = [.. "\"{}[],:0123456789-e. "u8];
        var (loaded, refused) = (0, 0);
        for (var c = 0; c < cases; c++)
        {
            var bytes = new List<byte>(original);
            switch (random.Next(5))
            {
                case 0: // flip a bit anywhere
                    var at = random.Next(bytes.Count);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1: // a JSON token into the header (length prefix kept, so it shifts the header)
                    bytes[random.Next(8, headerEnd)] = tokens[random.Next(tokens.Length)];
                    break;
                case 2: // truncate
                    var keep = random.Next(bytes.Count);
                    bytes.RemoveRange(keep, bytes.Count - keep);
                    break;
                case 3: // swap two digit runs in the header (offsets, shapes)
                    var i = random.Next(8, headerEnd);
                    var j = random.Next(8, headerEnd);
                    (bytes[i], bytes[j]) = (bytes[j], bytes[i]);
                    break;
                default: // random bytes in the data section
                    for (var k = random.Next(1, 4); k > 0; k--) bytes[random.Next(headerEnd, bytes.Count)] = (byte)random.Next(256);
                    break;
            }
            var mutated = bytes.ToArray();
            if (mutated.AsSpan().SequenceEqual(original)) continue;
            File.WriteAllBytes(_path, mutated);
            BinaryClassifier model;
            try
            {
                model = BinaryClassifier.Load(_path);
            }
            catch (ModelFileException e)
            {
                refused++;
                Assert.DoesNotContain('\n', e.Message);
                continue;
            }
            catch (Exception e)
            {
                Assert.Fail($"case {c}: {e.GetType().Name}: {e.Message}\nheader: {Encoding.UTF8.GetString(mutated, 8, Math.Min(headerEnd - 8, mutated.Length - 8))}");
                return;
            }
            loaded++;
            Assert.Equal(expected, model.PredictProbabilities(x, 20));
        }
        Assert.True(refused > cases / 2, $"{refused} of {cases} mutations refused, {loaded} loaded identically");
    }
}
