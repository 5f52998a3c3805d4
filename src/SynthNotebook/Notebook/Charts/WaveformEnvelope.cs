namespace SynthNotebook.Notebook.Charts;

/// <summary>
/// A long buffer reduced for drawing: per bucket its minimum and maximum, in the order they occur, so peaks survive
/// (plain decimation would alias them away).
/// </summary>
internal sealed record WaveformEnvelope(int BucketSize, double[] Positions, float[] Values)
{
    public static WaveformEnvelope Of(float[] samples, int bucketCount)
    {
        var bucketSize = (samples.Length + bucketCount - 1) / bucketCount;
        var positions = new List<double>(2 * bucketCount);
        var values = new List<float>(2 * bucketCount);
        for (var start = 0; start < samples.Length; start += bucketSize)
        {
            var bucket = samples.AsSpan(start, Math.Min(bucketSize, samples.Length - start));
            int min = 0, max = 0;
            for (var i = 1; i < bucket.Length; i++)
            {
                if (bucket[i] < bucket[min]) min = i;
                if (bucket[i] > bucket[max]) max = i;
            }
            var (first, second) = min <= max ? (min, max) : (max, min);
            positions.Add(start + first);
            values.Add(bucket[first]);
            positions.Add(start + second);
            values.Add(bucket[second]);
        }
        return new WaveformEnvelope(bucketSize, positions.ToArray(), values.ToArray());
    }
}
