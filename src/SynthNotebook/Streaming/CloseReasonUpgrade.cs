using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;

namespace SynthNotebook.Streaming;

/// <summary>
/// Hands the WebSocket middleware a <see cref="CloseReasonStream"/> over a <see cref="GatheringStream"/> in place of
/// the raw upgraded connection: closes raised inside the WebSocket layer reach the client with a reason too, and a
/// session can send a batch of blocks as one write (the gathering stream is the context's feature, for the session).
/// Registered before <c>UseWebSockets</c>.
/// </summary>
internal sealed class CloseReasonUpgrade(IHttpUpgradeFeature inner, IFeatureCollection features) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        var gathering = new GatheringStream(await inner.UpgradeAsync());
        features.Set(gathering);
        return new CloseReasonStream(gathering);
    }

    public static void Use(IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            context.Features.Set<IHttpUpgradeFeature>(new CloseReasonUpgrade(upgrade, context.Features));
        }
        return next(context);
    });
}
