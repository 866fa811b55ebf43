using System.Diagnostics;
using System.Globalization;
using Converge.Benchmarks;
using TorchSharp;
using static TorchSharp.torch;

// TorchSharp side of W3 (docs/performance.md, ../shared/bench/workloads.md): the same data, initial
// weights and batch order as Converge's side (Workloads.cs), libtorch's Adam and BCEWithLogits, two
// threads. Prints one JSON line like bench/run.sh W3.
if (args is ["--check"])
{
    Console.WriteLine(torch.__version__);   // loads libtorch: fails here when the native library cannot be loaded
    return;
}
torch.set_num_threads(Environment.ProcessorCount);
var (features, labels) = Workloads.W3Data();
const int Rows = Workloads.W3Rows, Cols = Workloads.W3Cols, Batch = 256, Epochs = 3;
var initial = Workloads.W3Model();
var model = nn.Sequential(
    ("0", Copy(nn.Linear(Cols, Workloads.W3Hidden), (Converge.Modules.Linear)initial[0])), ("1", nn.ReLU()),
    ("2", Copy(nn.Linear(Workloads.W3Hidden, Workloads.W3Hidden), (Converge.Modules.Linear)initial[2])), ("3", nn.ReLU()),
    ("4", Copy(nn.Linear(Workloads.W3Hidden, 1), (Converge.Modules.Linear)initial[4])));
var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
var criterion = nn.BCEWithLogitsLoss();
var x = torch.tensor(features, [Rows, Cols]);
var y = torch.tensor(labels, [Rows, 1]);
var epochs = new double[Epochs];
var lossSum = 0d;
for (var e = 0; e < Epochs; e++)
{
    var order = torch.tensor(Workloads.EpochOrder(e, Rows).Select(static i => (long)i).ToArray());
    var start = Stopwatch.GetTimestamp();
    for (var s = 0; s < Rows; s += Batch)
    {
        using var scope = torch.NewDisposeScope();
        var index = order.narrow(0, s, Math.Min(Batch, Rows - s));
        optimizer.zero_grad();
        var loss = criterion.forward(model.forward(x.index_select(0, index)), y.index_select(0, index));
        loss.backward();
        optimizer.step();
        lossSum += loss.item<float>();   // the loss is read every step
    }
    epochs[e] = Stopwatch.GetElapsedTime(start).TotalSeconds;
}
double finalLoss, accuracy;
using (torch.no_grad())
{
    var logits = model.forward(x);
    finalLoss = criterion.forward(logits, y).item<float>();
    accuracy = (logits.gt(0).to_type(ScalarType.Float32).eq(y)).to_type(ScalarType.Float32).mean().item<float>();
}
var sorted = (double[])epochs.Clone();
Array.Sort(sorted);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{{\"workload\":\"W3\",\"peer\":\"torchsharp\",\"torch\":\"{torch.__version__}\",\"s_per_epoch\":{Math.Round(epochs.Average(), 4)},\"s_per_epoch_median\":{Math.Round(sorted[1], 4)},"
    + $"\"epoch_seconds\":\"[{string.Join(" ", epochs.Select(static t => t.ToString("F3", CultureInfo.InvariantCulture)))}]\",\"final_loss\":{finalLoss},\"accuracy\":{accuracy},"
    + $"\"mean_step_loss\":{Math.Round(lossSum / (Epochs * ((Rows + Batch - 1) / Batch)), 6)},\"threads\":{torch.get_num_threads()}}}"));

static nn.Module<Tensor, Tensor> Copy(TorchSharp.Modules.Linear linear, Converge.Modules.Linear source)
{
    using (torch.no_grad())
    {
        linear.weight!.copy_(torch.tensor(source.Weight.Data, [source.OutFeatures, source.InFeatures]));
        linear.bias!.copy_(torch.tensor(source.Bias!.Data, [source.OutFeatures]));
    }
    return linear;
}
