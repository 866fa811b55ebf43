namespace Converge.Kernels;

/// <summary>Pointers and block state of one packed product, shared by the threads that split it.</summary>
internal unsafe struct GemmPlan
{
    /// <summary>A(i,p) = A[i·RsA + p·CsA].</summary>
    public float* A;
    public nint RsA, CsA;
    /// <summary>B(p,j) = B[p·RsB + j·CsB].</summary>
    public float* B;
    public nint RsB, CsB;
    public float* C;
    public nint Ldc;
    public int M, N, K;
    public bool Accumulate;

    // The current (jc, pc) block and how its work is cut into tasks.
    public int Jc, Nc, Pc, Kc;
    public bool BlockAccumulate;
    public float* PackedB;
    public int Phase, PanelsPerTask, RowsPerTask;
}

/// <summary>
/// A fixed set of background workers for splitting a product across cores, with no allocation per
/// call (Parallel.For allocates its loop state and task objects on every call). Tasks are claimed
/// dynamically so a core slowed by other processes takes fewer of them. One product at a time:
/// a caller that finds the pool busy runs single-threaded instead of waiting.
/// A worker that finishes spins for <see cref="SpinMicroseconds"/> watching for the next job before it
/// blocks: a training step hands off about ten products a few microseconds apart, and waking a
/// blocked thread costs 5–50 µs each time (the semaphore is released only for sleeping workers).
/// </summary>
internal static unsafe class GemmPool
{
    /// <summary>Threads taking part in a split product, the caller included.</summary>
    public static readonly int Threads = Math.Clamp(Environment.ProcessorCount, 1, 16);

    /// <summary>How long an idle worker watches for the next job before it blocks.</summary>
    internal const int SpinMicroseconds = 200;

    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
    private static readonly Lock Gate = new();
    private static readonly SemaphoreSlim Wake = new(0);
    private static Thread[]? _workers;

    private static delegate*<void*, int, void> _task;
    private static void* _state;
    private static int _taskCount, _next, _completed, _active, _open, _generation, _sleepers;

    public static bool TryEnter()
    {
        if (Threads < 2 || !Gate.TryEnter()) return false;
        if (_workers is null)
        {
            var workers = new Thread[Threads - 1];
            for (var i = 0; i < workers.Length; i++)
            {
                workers[i] = new Thread(WorkerLoop) { IsBackground = true, Name = "Converge GEMM worker" };
                workers[i].Start();
            }
            _workers = workers;
        }
        return true;
    }

    public static void Exit() => Gate.Exit();

    /// <summary>Runs task(state, t) for t in [0, count) on the caller and the workers; call between TryEnter and Exit.</summary>
    public static void Run(delegate*<void*, int, void> task, void* state, int count)
    {
        _task = task;
        _state = state;
        _taskCount = count;
        _next = 0;
        _completed = 0;
        Interlocked.Exchange(ref _open, 1);
        Interlocked.Increment(ref _generation);
        // Spinning workers see the generation change; sleeping ones need the semaphore. A worker that
        // counted itself a sleeper but then saw the job is woken spuriously later, which it tolerates.
        var sleepers = count > 1 ? Interlocked.Exchange(ref _sleepers, 0) : 0;
        if (sleepers > 0) Wake.Release(sleepers);
        Work();
        var spin = new SpinWait();
        while (Volatile.Read(ref _completed) < count) spin.SpinOnce(sleep1Threshold: -1);
        // Close the job, then wait out any worker that woke late and may still be reading its state
        // (both sides use full fences, so a worker either sees the job closed or is counted active).
        Interlocked.Exchange(ref _open, 0);
        spin.Reset();
        while (Volatile.Read(ref _active) != 0) spin.SpinOnce(sleep1Threshold: -1);
    }

    private static void Work()
    {
        int t;
        while ((t = Interlocked.Increment(ref _next) - 1) < _taskCount)
        {
            _task(_state, t);
            Interlocked.Increment(ref _completed);
        }
    }

    private static void WorkerLoop()
    {
        var seen = Volatile.Read(ref _generation);
        while (true)
        {
            if (!SpinForJob(seen))
            {
                Interlocked.Increment(ref _sleepers);
                if (Volatile.Read(ref _generation) == seen) Wake.Wait();
            }
            seen = Volatile.Read(ref _generation);
            Interlocked.Increment(ref _active);
            if (Volatile.Read(ref _open) == 1) Work();
            Interlocked.Decrement(ref _active);
        }
    }

    /// <summary>True when a job newer than <paramref name="seen"/> appears within the spin window.</summary>
    private static bool SpinForJob(int seen)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        do
        {
            for (var i = 0; i < 64; i++)
            {
                if (Volatile.Read(ref _generation) != seen) return true;
                Thread.SpinWait(4);
            }
        }
        while (System.Diagnostics.Stopwatch.GetTimestamp() - start < SpinTicks);
        return false;
    }
}
