#:package SynthNotebook@0.2.0
// The seed's next step as a program: the browser records the microphone, C# processes it, the browser plays it back.
//   dotnet run examples/microphone.cs        then open the page it prints and press Play (allow the microphone)
using SynthNotebook.Processing;
using SynthNotebook.Studio;
using SynthNotebook.Synthesis;

var synth = new Synth();
var lowPass = new FilterSettings(FilterType.LowPass, 1200);

return await SynthStudio.RunAsync(args, synth, async studio =>
{
    var server = studio.Server;
    server.Chain = AudioChain.PassThrough.HighPass(80).Filter(lowPass);
    studio.Show("# Microphone → C# → speakers");
    studio.Show("Every block runs through server.Chain in this program: a high-pass at 80 Hz and a low-pass at 1200 Hz. " +
                "The browser's echo cancellation, noise suppression and auto gain are off, so the chain hears your raw signal. " +
                "Use headphones.");
    studio.Show(server.Microphone);

    // A few seconds into the first listen, the low-pass opens up (it glides there), then the chain is swapped for a
    // ring modulator with the synth as its carrier: the stream cross-fades to it without a click.
    await studio.FirstListenerAsync();
    await Task.Delay(TimeSpan.FromSeconds(8), studio.Stopping);
    lowPass.Frequency = 3000;
    studio.Show("The low-pass is at 3000 Hz now.");
    await Task.Delay(TimeSpan.FromSeconds(8), studio.Stopping);
    server.Chain = AudioChain.PassThrough.RingModulate(synth).Gain(2);
    studio.Show($"Swapped the chain: {server.Chain}.");
}, title: "Microphone");
