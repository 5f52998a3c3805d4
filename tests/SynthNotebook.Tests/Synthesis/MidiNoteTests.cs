using SynthNotebook.Synthesis;

namespace SynthNotebook.Tests.Synthesis;

/// <summary>Note names read as MIDI numbers them, pitches in equal temperament from A4 = 440 Hz, and clear refusals.</summary>
public sealed class MidiNoteTests
{
    [Theory]
    [InlineData("A4", 69)]
    [InlineData("C4", 60)]
    [InlineData("c#3", 49)]
    [InlineData("Db3", 49)]
    [InlineData("Eb5", 75)]
    [InlineData("B#3", 60)]
    [InlineData("C-1", 0)]
    [InlineData("G9", 127)]
    [InlineData(" a0 ", 21)]
    public void NamesReadAsMidiNumbersThem(string name, int number) => Assert.Equal(number, MidiNote.Parse(name).Number);

    [Fact]
    public void PitchesAreEqualTemperedFromA440AndNamesComeBack()
    {
        Assert.Equal(440, new MidiNote(69).Frequency, 9);
        Assert.Equal(261.6255653, ((MidiNote)"C4").Frequency, 6);
        Assert.Equal(880, ((MidiNote)81).Frequency, 9);
        for (var n = 0; n <= 127; n++)
        {
            Assert.Equal(n, MidiNote.Parse(new MidiNote(n).Name).Number);
        }
        Assert.Equal("C#-1", new MidiNote(1).Name);
    }

    [Fact]
    public void WhatIsNotANoteIsRefusedWithTheForm()
    {
        Assert.Contains("as in \"A4\"", Assert.Throws<FormatException>(() => MidiNote.Parse("H2")).Message);
        Assert.Throws<FormatException>(() => MidiNote.Parse("A"));
        Assert.Throws<FormatException>(() => MidiNote.Parse(""));
        Assert.Contains("outside MIDI's 0–127", Assert.Throws<ArgumentOutOfRangeException>(() => MidiNote.Parse("A9")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MidiNote(128));
    }
}
