#:package SynthNotebook@0.2.0
// The seed's workflow as a program, no notebook needed: sines, sliders, two glued buffers, play, stop.
//   dotnet pack src/SynthNotebook.Interactive --configuration Release --output artifacts   (once, for NuGet.config here)
//   dotnet run examples/synth.cs             then open the page it prints and press Play; Ctrl+C stops it
using SynthNotebook.Notebook.Charts;
using SynthNotebook.Studio;
using SynthNotebook.Synthesis;

// The seed's numbers: 5 sine components between 200 and 400 Hz, blocks of 4096 samples at 44.1 kHz.
var synth = new Synth(componentCount: 5, lowestFrequency: 200, highestFrequency: 400, sampleRate: 44_100, blockSize: 4096);
synth.SetFrequency(0, 220);
synth.SetAmplitude(4, 0.5);

return await SynthStudio.RunAsync(args, synth, async studio =>
{
    studio.Show("# Five sines, 200–400 Hz");
    studio.Show("Press Play and move the sliders: each change reaches the C# synth and glides there over 10 ms. " +
                "Every listener gets a voice of its own, at its own sample rate.");
    studio.Show(synth);                      // the player: Play/Stop, a slider per component, the gain, scopes
    studio.Show("Two consecutive blocks, glued: the phases carry over at sample 4096, so the waveform runs on across the seam.");
    studio.Show(Plot.GluedBlocks(synth));
    studio.Show(studio.Server);              // where it streams from

    await studio.FirstListenerAsync();       // someone pressed Play
    studio.Show("# Now playing");
    studio.Show("The spectrum of one block, a peak at each component, and two seconds rendered offline to play or download:");
    studio.Show(Plot.Spectrum(synth));
    studio.Show(synth.Render(2));
}, title: "Real-time synthesis");
