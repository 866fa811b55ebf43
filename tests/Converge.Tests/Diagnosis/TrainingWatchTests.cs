using Converge.Diagnosis;
using Converge.Losses;
using Converge.Modules;
using Converge.Optimizers;
using Converge.Tensors;
using Converge.Training;

namespace Converge.Tests.Diagnosis;

/// <summary>The doctor on a hand-written loop: the same findings as <c>diagnose</c> on the same setup, and the remedy search on a rebuilt copy.</summary>
public class TrainingWatchTests
{
    /// <summary>The question's <c>Model(nn.Module)</c>: two Linear layers, sigmoid applied as a function in Forward.</summary>
    private sealed class QuestionModel : Module
    {
        private readonly Linear _fc1;
        private readonly Linear _fc2;

        public QuestionModel(Generator generator)
        {
            _fc1 = new Linear(1, 4, generator: generator);
            _fc2 = new Linear(4, 1, generator: generator);
        }

        public override Tensor Forward(Tensor input) => _fc2.Forward(_fc1.Forward(input).Sigmoid()).Sigmoid();

        protected override IEnumerable<(string Name, Module Module)> Children() => [("fc1", _fc1), ("fc2", _fc2)];
    }

    /// <summary>A module the doctor cannot read as a chain: a skip connection.</summary>
    private sealed class Residual(Generator generator) : Module
    {
        private readonly Linear _a = new(2, 2, generator: generator);
        private readonly Linear _b = new(2, 1, generator: generator);

        public override Tensor Forward(Tensor input) => _b.Forward(_a.Forward(input).Relu() + input);

        protected override IEnumerable<(string Name, Module Module)> Children() => [("a", _a), ("b", _b)];
    }

    private static readonly DoctorOptions Generous = new(SearchSeconds: 600);

    // --- README: doctor (the class) ---
    private sealed class Model : Module
    {
        private readonly Linear fc1 = new(1, 4, generator: new(0)), fc2 = new(4, 1, generator: new(0));
        public override Tensor Forward(Tensor x) => fc2.Forward(fc1.Forward(x).Sigmoid()).Sigmoid();
        protected override IEnumerable<(string Name, Module Module)> Children() => [("fc1", fc1), ("fc2", fc2)];
    }
    // --- end ---

    private const string ReadmeSnippet = """
        sealed class Model : Module
        {
            private readonly Linear fc1 = new(1, 4, generator: new(0)), fc2 = new(4, 1, generator: new(0));
            public override Tensor Forward(Tensor x) => fc2.Forward(fc1.Forward(x).Sigmoid()).Sigmoid();
            protected override IEnumerable<(string Name, Module Module)> Children() => [("fc1", fc1), ("fc2", fc2)];
        }

        var model = new Model();
        var criterion = new BceLoss();
        var optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = 0.001 });
        using var doctor = Doctor.Watch(model, optimizer, criterion, x, y);
        for (var epoch = 0; epoch < 10_000; epoch++)
        {
            optimizer.ZeroGrad();
            var loss = criterion.Forward(model.Forward(x), y);
            loss.Backward();
            doctor.Step(loss);          // after Backward, before the optimizer's step
            optimizer.Step();
        }
        Console.WriteLine(doctor.Diagnose().Summary);
        """;

    [Fact]
    public void The_readme_loop_on_the_questions_model_is_repaired_by_standardizing_and_a_higher_rate()
    {
        var readme = File.ReadAllText(RepositoryFile("README.md")).ReplaceLineEndings("\n");
        foreach (var line in ReadmeSnippet.ReplaceLineEndings("\n").Split('\n').Where(static l => l.Trim().Length > 0))
            Assert.Contains(line.TrimEnd(), readme, StringComparison.Ordinal);
        var bpm = Converge.Data.BuiltInData.HeartRate();
        var x = new Tensor([.. bpm.Select(v => (float)v)], bpm.Length, 1);
        var y = new Tensor(Converge.Data.BuiltInData.HeartRateLabels(), bpm.Length, 1);
        // --- README: doctor (the loop) ---
        var model = new Model();
        var criterion = new BceLoss();
        var optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = 0.001 });
        using var doctor = Doctor.Watch(model, optimizer, criterion, x, y);
        for (var epoch = 0; epoch < 10_000; epoch++)
        {
            optimizer.ZeroGrad();
            var loss = criterion.Forward(model.Forward(x), y);
            loss.Backward();
            doctor.Step(loss);          // after Backward, before the optimizer's step
            optimizer.Step();
        }
        // --- end ---
        // The README's doctor.Diagnose(), with a budget no machine load can shrink (the default 5 s would cut the epochs).
        var report = doctor.Diagnose(Generous);
        Assert.True(report.Findings[0].Code == FindingCodes.UnscaledInput, Scenarios.Describe(report));
        var best = report.Search!.Best;
        Assert.Equal(RemedyOutcome.Repaired, best.Outcome);
        Assert.Equal("--normalize standard --lr 0.01", best.Flags);
        Assert.True(best.Remedied <= best.HealthyLevel, best.ToString());   // the doctor's own bar for repaired (0.062 with PyTorch's Adam rounding)
    }

    private static string RepositoryFile(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Converge.slnx"))) directory = directory.Parent;
        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("repository root not found"), name);
    }

    private static (TrainingWatch Watch, QuestionModel Model) TrainQuestion(int epochs, ulong seed)
    {
        var data = Scenarios.HeartRate();
        var x = new Tensor(data.Features, data.Rows, 1);
        var y = new Tensor(data.Labels, data.Rows, 1);
        var model = new QuestionModel(new Generator(seed));
        var criterion = new BceLoss();
        var optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = 0.001 });
        var watch = Doctor.Watch(model, optimizer, criterion, x, y, ["bpm"]);
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            optimizer.ZeroGrad();
            var loss = criterion.Forward(model.Forward(x), y);
            loss.Backward();
            watch.Step(loss);
            optimizer.Step();
        }
        return (watch, model);
    }

    private static IEnumerable<string> Problems(DiagnosisReport d) => d.Findings.Where(static f => f.Severity >= Severity.Warning).Select(static f => f.Code).Order(StringComparer.Ordinal);

    [Fact]
    public void The_questions_own_module_and_loop_get_the_same_findings_and_remedy_as_diagnose()
    {
        const int epochs = 300;
        var (watch, model) = TrainQuestion(epochs, seed: 42);
        using var _ = watch;
        Assert.True(watch.Readable);
        Assert.Equal("1 in → 4 sigmoid → 1 sigmoid", watch.Architecture!.ToString());
        var weightsAfter = model.StateDict().Values.Select(static t => (float[])t.Data.Clone()).ToList();
        var own = watch.Diagnose(Generous);

        // The same setup through Converge's trainer: NetworkSpec draws the same initial weights from the same seed.
        var options = Scenarios.Question(Normalization.None, epochs) with { BatchSize = 0, Seed = 42 };
        var diagnose = Doctor.Diagnose(Scenarios.HeartRate(), null, options, ["bpm"], Generous);

        Assert.Contains(FindingCodes.UnscaledInput, Problems(own));
        Assert.Equal(Problems(diagnose), Problems(own));
        Assert.Equal(diagnose.Search!.Best.Flags, own.Search!.Best.Flags);
        Assert.Equal(RemedyOutcome.Repaired, own.Search.Best.Outcome);
        Assert.Equal(diagnose.Search.Best.Baseline, own.Search.Best.Baseline, 3);
        // The search ran on a copy: the user's trained weights are untouched.
        Assert.Equal(weightsAfter, model.StateDict().Values.Select(static t => t.Data));
    }

    [Fact]
    public void As_an_observer_of_the_generic_trainer_the_watch_finds_the_same_issues_as_diagnose()
    {
        const int epochs = 300;
        var data = Scenarios.HeartRate();
        var model = new QuestionModel(new Generator(42));
        var optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = 0.001 });
        var trainer = new Trainer(model, new BceLoss(), optimizer, new TrainerOptions { Epochs = epochs, BatchSize = 0 });
        using var doctor = Doctor.Watch(trainer, data, ["bpm"]);
        Assert.Contains(doctor, trainer.Observers);
        trainer.Fit(data);
        Assert.Equal(epochs, doctor.History.Count);
        Assert.Equal(31, doctor.History.Count(static h => h.Monitor is not null));   // epoch 1 and every 10th
        var own = doctor.Diagnose(Generous);

        var options = Scenarios.Question(Normalization.None, epochs) with { BatchSize = 0, Seed = 42 };
        var diagnose = Doctor.Diagnose(data, null, options, ["bpm"], Generous);
        Assert.Equal(Problems(diagnose), Problems(own));
        Assert.Equal(diagnose.Search!.Best.Flags, own.Search!.Best.Flags);
    }

    [Fact]
    public void A_healthy_hand_written_minibatch_loop_gets_no_warning()
    {
        var data = Scenarios.Linear(256, 3, 31);
        var model = new Sequential(new Linear(3, 8, generator: new Generator(0)), new ReLU(), new Linear(8, 1, generator: new Generator(0)));   // explicit: the default stream is shared with parallel tests
        var criterion = new BceWithLogitsLoss();
        var optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = 0.01 });
        using var watch = Doctor.Watch(model, optimizer, criterion, new Tensor(data.Features, data.Rows, data.Cols), new Tensor(data.Labels, data.Rows, 1));
        for (var epoch = 0; epoch < 40; epoch++)
        {
            for (var start = 0; start < data.Rows; start += 64)
            {
                var rows = Enumerable.Range(start, 64).ToArray();
                var batch = data.Select(rows);
                optimizer.ZeroGrad();
                var loss = criterion.Forward(model.Forward(new Tensor(batch.Features, 64, data.Cols)), new Tensor(batch.Labels, 64, 1));
                loss.Backward();
                watch.Batch(loss);
                optimizer.Step();
            }
            watch.EndEpoch();
        }
        Assert.Equal(40, watch.History.Count);
        var d = watch.Diagnose();
        Assert.False(d.HasProblems, Scenarios.Describe(d));
        Assert.Null(d.Search);
    }

    [Fact]
    public void A_module_the_doctor_cannot_read_still_gets_the_data_and_loss_findings_and_says_what_it_skipped()
    {
        var data = Scenarios.MapColumn(Scenarios.Linear(200, 2, 41), 0, static (v, _) => v * 1e4f);
        var model = new Residual(new Generator(1));
        var criterion = new BceWithLogitsLoss();
        var optimizer = new Adam(model.Parameters());
        using var watch = Doctor.Watch(model, optimizer, criterion, new Tensor(data.Features, data.Rows, 2), new Tensor(data.Labels, data.Rows, 1));
        Assert.False(watch.Readable);
        for (var epoch = 0; epoch < 20; epoch++)
        {
            optimizer.ZeroGrad();
            var loss = criterion.Forward(model.Forward(new Tensor(data.Features, data.Rows, 2)), new Tensor(data.Labels, data.Rows, 1));
            loss.Backward();
            watch.Step(loss);
            optimizer.Step();
        }
        var d = watch.Diagnose();
        Assert.NotNull(d.Find(FindingCodes.MixedScales));
        Assert.Null(d.Search);
        Assert.Contains(watch.Limitation!, d.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Steps_after_dispose_throw()
    {
        var (watch, _) = TrainQuestion(2, seed: 1);
        watch.Dispose();
        Assert.Throws<ObjectDisposedException>(() => watch.Step(Tensor.FromArray([0.5f])));
        Assert.Equal(2, watch.History.Count);
    }
}
