using SynthNotebook.Streaming;

namespace SynthNotebook.Tests.Streaming;

/// <summary>The paced connection's clock: groups due a group apart from the first block, catching up, holding.</summary>
public sealed class PaceScheduleTests
{
    // 1000 ticks a second and 100-sample blocks at 1 kHz: a block is 100 ticks, a group of 2 is 200.
    private static PaceSchedule Schedule(int group = 2) => new(group, blockSize: 100, sampleRate: 1000, ticksPerSecond: 1000);

    [Fact]
    public void ConnectionsStartedApartShareOneGrid()
    {
        var a = Schedule();
        var b = Schedule();
        a.Start(1010);
        b.Start(1170);
        Assert.Equal(1400, a.NextDue);   // at least a group after each one's first block, on the same points
        Assert.Equal(1400, b.NextDue);
    }

    [Fact]
    public void NothingIsDueBeforeTheFirstBlockNorBeforeAGroupHasPlayed()
    {
        var pace = Schedule();
        Assert.Equal(0, pace.Take(10_000));
        Assert.False(pace.Started);

        pace.Start(1000);
        pace.Start(1150);   // later blocks do not move the start
        Assert.Equal(1200, pace.NextDue);
        Assert.Equal(0, pace.Take(1199));
        Assert.Equal(2, pace.Take(1200));
        Assert.Equal(0, pace.Take(1399));
        Assert.Equal(2, pace.Take(1450));   // a late wake-up does not shift the clock
        Assert.Equal(1600, pace.NextDue);
    }

    [Fact]
    public void AServerHeldUpSendsWhatItOwesAtOnceUpToTheCatchUpLimitThenStartsAfresh()
    {
        var pace = Schedule();
        pace.Start(0);
        Assert.Equal(6, pace.Take(200 + 2 * 200 + 50));   // three groups overdue
        Assert.Equal(800, pace.NextDue);

        Assert.Equal(2, pace.Take(800 + 200 * PaceSchedule.MaxCatchUp + 50));   // far behind: one group, from now on
        Assert.Equal(800 + 200 * PaceSchedule.MaxCatchUp + 200, pace.NextDue);  // still on the grid
    }

    [Fact]
    public void AHoldLeavesOutThatManyBlocksAndKeepsTheGrid()
    {
        var pace = Schedule(group: 2);
        pace.Start(0);
        pace.Hold(3);
        Assert.Equal(0, pace.Take(200));   // the first group left out,
        Assert.Equal(1, pace.Take(400));   // and one block of the second
        Assert.Equal(2, pace.Take(600));
        Assert.Equal(800, pace.NextDue);   // on the grid throughout
    }
}
