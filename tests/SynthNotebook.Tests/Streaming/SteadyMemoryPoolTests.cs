using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using SynthNotebook.Streaming;

namespace SynthNotebook.Tests.Streaming;

/// <summary>Kestrel's buffers are lent again and again while audio flows, and let go only after an idle spell.</summary>
public sealed class SteadyMemoryPoolTests
{
    [Fact]
    public void AReturnedBlockIsLentAgainWhateverSizeWasAskedFor()
    {
        using var pool = new SteadyMemoryPool();
        var first = pool.Rent(100);
        var memory = first.Memory;
        first.Dispose();

        using var second = pool.Rent();
        Assert.Equal(SteadyMemoryPool.BlockSize, second.Memory.Length);
        Assert.True(memory.Span == second.Memory.Span, "the same block should be lent again");
        Assert.Equal(0, pool.FreeBlocks);
    }

    [Fact]
    public void FreeBlocksStayWhileTheyAreUsedAndGoAfterACheckWithNoRent()
    {
        using var pool = new SteadyMemoryPool();
        pool.Rent().Dispose();
        pool.ReleaseIfIdle();   // rented since the last check: kept
        Assert.Equal(1, pool.FreeBlocks);

        pool.ReleaseIfIdle();   // nothing rented since: let go
        Assert.Equal(0, pool.FreeBlocks);
    }

    [Fact]
    public void ABlockLargerThanThePoolsIsRefusedAndABlockReturnedAfterDisposalIsDropped()
    {
        var pool = new SteadyMemoryPool();
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(SteadyMemoryPool.BlockSize + 1));
        var lent = pool.Rent();
        pool.Dispose();
        lent.Dispose();
        Assert.Equal(0, pool.FreeBlocks);
        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
    }

    [Fact]
    public async Task TheServersHostGivesKestrelThisPool()
    {
        await using var app = LocalWebHost.Build(IPAddress.Loopback, 0, TimeSpan.FromSeconds(1));
        Assert.IsType<SteadyMemoryPoolFactory>(app.Services.GetRequiredService<IMemoryPoolFactory<byte>>());
    }
}
