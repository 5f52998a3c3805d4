using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;

namespace SynthNotebook.Streaming;

/// <summary>
/// Kestrel's socket buffers, kept while audio flows. Kestrel's own pool (.NET 10) evicts at least one idle block every
/// 10 s even under a steady load, so a stream that needs the same few blocks for every write allocates them again and
/// again (a 4 KB pinned array each: the 56–182 B per block a 4096-sample listener cost, benchmarks/README.md). This one
/// keeps what it has lent while it is used, and gives everything back after a spell with no rent at all.
/// Its blocks are 32 KB, not a page: Kestrel fills whole segments, and a write of more than 8 segments (a 4096-sample
/// group is 9 pages) makes the socket allocate its I/O vectors on the heap for every send.
/// </summary>
internal sealed class SteadyMemoryPool : MemoryPool<byte>
{
    /// <summary>The size of every block, whatever was asked: a group of blocks goes out in one or two.</summary>
    public const int BlockSize = 32 * 1024;

    /// <summary>How long the pool must go unused before its free blocks are let go.</summary>
    public static readonly TimeSpan IdleRelease = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<Block> _free = new();
    private readonly Timer _idleCheck;
    private long _rents;
    private long _rentsAtLastCheck;
    private volatile bool _disposed;

    public SteadyMemoryPool() =>
        _idleCheck = new Timer(static pool => ((SteadyMemoryPool)pool!).ReleaseIfIdle(), this, IdleRelease, IdleRelease);

    public override int MaxBufferSize => BlockSize;

    /// <summary>Blocks waiting to be lent (for tests).</summary>
    public int FreeBlocks => _free.Count;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        ObjectDisposedException.ThrowIf(_disposed, this);
        Interlocked.Increment(ref _rents);
        return _free.TryDequeue(out var block) ? block : new Block(this);
    }

    /// <summary>Lets the free blocks go when nothing was rented since the last check.</summary>
    internal void ReleaseIfIdle()
    {
        var rents = Interlocked.Read(ref _rents);
        if (rents == _rentsAtLastCheck)
        {
            _free.Clear();
        }
        _rentsAtLastCheck = rents;
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        _idleCheck.Dispose();
        _free.Clear();
    }

    private void Return(Block block)
    {
        if (!_disposed)
        {
            _free.Enqueue(block);
        }
    }

    private sealed class Block(SteadyMemoryPool pool) : IMemoryOwner<byte>
    {
        // Pinned, as Kestrel's are: the socket hands them to the kernel without pinning them per call.
        public Memory<byte> Memory { get; } =
            MemoryMarshal.CreateFromPinnedArray(GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true), 0, BlockSize);

        public void Dispose() => pool.Return(this);
    }
}

/// <summary>Gives Kestrel <see cref="SteadyMemoryPool"/>s instead of its evicting ones.</summary>
internal sealed class SteadyMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new SteadyMemoryPool();
}
