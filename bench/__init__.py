"""Sonagram's benchmarks (``make bench``, or ``python -m bench [--quick]``).

Every number is measured in one run on this machine and reported as a ratio to a
baseline measured in the same run, so the results compare across machines only as
ratios. One run measures:

1. the engine (overview only) against the reference, librosa + matplotlib drawing the
   same image at the same size (:mod:`bench.reference`), on generated 10 s, 60 s and
   10 min WAV and MP3 files, a 60 s M4A and the sample field recording;
2. the engine against the floor, the decode + FFT + PNG work any implementation must
   do (:mod:`bench.floor`), on the same files;
3. a 60-minute 48 kHz WAV and MP3 rendered with every tile, each in a fresh process:
   peak resident memory, and time against the floor (:mod:`bench.long_render`);
4. cold import times of the HTTP app, ``boto3``, the engine and librosa, and the
   CLI's cold start, ``sonagram render`` of a 10 s WAV (:mod:`bench.imports`);
5. the local stack end to end: upload-to-COMPLETED latency, a burst of 50 mixed
   uploads at once (formats, rates, channels, 1 s to 60 s, the shared recording) with
   their events replayed, and 50 ``GET /recordings`` at once (:mod:`bench.e2e`);
6. 1,000 one-hour renders at once, projected onto AWS from one measured render
   (:mod:`bench.fanout`), and the viewer's zooms and pans in Chromium (:mod:`bench.viewer`);
7. horizontal stripes: how evenly white noise's rows are drawn from 8 to 384 kHz, beside
   librosa + matplotlib (:mod:`bench.banding`);
8. a lab: one project of 50 members and 10,000 recordings, its listing, My work and
   dashboard timed over HTTP (:mod:`bench.lab`).

Each section's module makes its own rows (``*_rows(plan)``); :mod:`bench.plan` holds
what a run measures and the inputs the sections share, ``__main__`` only runs them.
It prints a Markdown table, writes ``bench/results.json`` and ``bench/results.md``
(``--quick``: a small subset for a smoke test, written to ``bench/work/quick/``), and
exits 1 if a benchmark could not run; a missed target is reported, not an error.
``--only e2e`` (or ``imports``, ``compare``, ``long``, ``longest``, ``fanout``,
``viewer``, ``banding``, ``lab``; repeatable) runs just those sections and writes to
``bench/work/partial/``.
Generated recordings are cached in ``bench/work/inputs/``.
"""
