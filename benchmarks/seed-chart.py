#!/usr/bin/python3
"""What a chart costs the seed's kernel: its plotly (Debian's python3-plotly) drawing two glued 4096-sample buffers
as the seed plots them, as notebook HTML without plotly.js (the notebook already has it). The first figure of a fresh
process, then each further one; compare with `SynthNotebook.Benchmarks chart` in the same run.

Usage: /usr/bin/python3 benchmarks/seed-chart.py [charts]   (default 30)
"""
import sys
import time
import tracemalloc

start = time.perf_counter()
import numpy as np  # noqa: E402
import plotly.graph_objects as go  # noqa: E402
import plotly.io as pio  # noqa: E402

charts = int(sys.argv[1]) if len(sys.argv) > 1 else 30
t = np.arange(8192)
signal = sum(np.sin(2 * np.pi * f * t / 44100) for f in (200, 250, 300, 350, 400)).astype(np.float32)


def chart():
    figure = go.Figure([go.Scatter(x=t[:4096], y=signal[:4096], name="block 1"),
                        go.Scatter(x=t[4096:], y=signal[4096:], name="block 2")])
    return pio.to_html(figure, include_plotlyjs=False, full_html=False)


tracemalloc.start()
chart()
first = time.perf_counter() - start
_, first_peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
each = []
for _ in range(charts):
    t0 = time.perf_counter()
    chart()
    each.append((time.perf_counter() - t0) * 1000)
each.sort()
print(f"seed (plotly {__import__('plotly').__version__}): first chart of a fresh process (imports included) "
      f"{first * 1000:.1f} ms, peak {first_peak / 1e6:.1f} MB traced; each further chart: median {each[len(each) // 2]:.2f} ms "
      f"(min {each[0]:.2f}, max {each[-1]:.2f})")
