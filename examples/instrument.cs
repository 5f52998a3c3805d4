#:package SynthNotebook@0.2.0
// An instrument as a program: play it from the page's keyboard (or a MIDI keyboard), and hear the riff it plays.
//   dotnet run examples/instrument.cs        then open the page it prints, press Play, click the keys or play A S D F…
using SynthNotebook.Instruments;
using SynthNotebook.Studio;
using SynthNotebook.Synthesis;

// A square wave through a low-pass at 1.8 kHz, 16 voices per listener; the riff in steps of half a beat at 160 bpm.
var keys = new Instrument(VoiceSettings.Default with { Waveform = Waveform.Square, PulseWidth = 0.3, Cutoff = 1_800 },
    name: "square keys");
var riff = Pattern.Steps("C4 E4 G4 C5 G4 E4+G4 C4 -", bpm: 160);

return await SynthStudio.RunAsync(args, new Synth(), async studio =>
{
    studio.Server.Source = keys;
    studio.Show("# An instrument in C#");
    studio.Show("Press Play, click the keyboard, then play the letters A W S E D F T G Y H U J K (Z and X move the octave), " +
                "or press MIDI to play a MIDI keyboard. Every listener hears the same notes, each at its own sample rate.");
    studio.Show(keys);                       // the player, with its keyboard
    studio.Show("The riff this program plays once you listen, rendered offline: the samples a 48 kHz listener hears.");
    studio.Show(keys.Render(riff));

    await studio.FirstListenerAsync();       // someone pressed Play
    keys.Play(riff.Repeat(2));
    studio.Show("# Playing the riff twice");
}, title: "Instrument");
