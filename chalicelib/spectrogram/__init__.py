"""Sonagram's spectrogram engine: audio file in, overview PNG + tiles + manifest out.

Pure computation: numpy, soundfile and PyAV only, no AWS. Memory is bounded
by the block size and the output size, not by the recording's length.

>>> from chalicelib.spectrogram import render
>>> rendering = render("dawn.wav", name="dawn.wav", tile_sink=store)  # doctest: +SKIP
>>> found = detect("dawn.wav", name="dawn.wav", presets=[preset])  # doctest: +SKIP

Pipeline
--------
1. **Decode** to mono (mean of the channels), float32, at the file's own sample rate,
   in blocks (:mod:`.decode`): libsndfile for WAV/FLAC/OGG/MP3/AIFF, FFmpeg for
   M4A/AAC, Opus and anything else libsndfile refuses.
2. **STFT** exactly as librosa's defaults (:mod:`.stft`): ``n_fft`` 2048, hop 512,
   periodic Hann window, centred frames with zero padding; bins above
   ``f_max = min(10 kHz, Nyquist)`` are dropped. The FFT is float32 (within
   0.002 dB of librosa's float64 one).
3. **Frequency**: bins map to 400 rows spanning 0..f_max (:mod:`.axes`): each row is
   read at 1 to 3 points at most 1.25 bins apart, each point the power of the bins
   around it weighted by a Gaussian (0.8 bins or wider), scaled so that a steady tone
   reads the level of the FFT bin under it; a row shows its loudest point. Every row is
   made alike wherever the bins fall, so noise draws no horizontal stripes (before
   engine 1.5 a row was the max of the 1 to 3 bins in it), and a tone anywhere in a row
   reads within 0.7 dB of its level.
4. **Overview**: frames map to ``width = clamp(round(duration_s * 200), 800, 3200)``
   pixels (max over the frames centred in a pixel, so short calls stay visible, else
   the nearest frame; :mod:`.overview` for long files), then dB relative to the loudest cell
   with an 80 dB floor -- librosa's ``amplitude_to_db(S, ref=np.max, top_db=80)`` --
   and matplotlib's viridis. Low frequencies at the bottom, no axes.
5. **Tiles** (only with ``tile_sink``): a time-only pyramid (:mod:`.tiles`). Level 0
   has one pixel per frame, ``sample_rate / hop_length`` px/s (the viewer stretches
   it); each coarser level has a quarter of its px/s, each pixel the max of 4, down to
   a level that fits one tile. Tiles are at most 4096 x 400 px, greyscale PNGs of
   absolute dB on a fixed scale, so the viewer sets the reference and floor live. A
   level's tiles are stored back to back in objects of at most 16 MiB; the manifest
   gives each tile's object and byte range.
6. **Detection** (only with ``detectors``, a sequence of ``DetectorPreset``): each
   preset's :class:`BandEnergyDetector` (:mod:`.detector`, Raven's band-limited energy
   detector) reads the same STFT frames; the STFT keeps the bins the widest of the drawing
   and the detectors needs, and the drawing crops to its own, so the images and manifest
   are the same with or without detectors. ``Rendering.detections`` maps each preset's
   name to its :class:`Detections` (events, candidates, refusals);
   ``Detections.boxes(preset)`` makes them proposed annotation boxes.
   :func:`detect` runs steps 1, 2 and 6 alone (a re-run, nothing drawn).

Manifest
--------
``Rendering.manifest`` is a JSON-serialisable dict:

``engine_version`` : str
    :data:`ENGINE_VERSION` of the engine that rendered it.
``sample_rate`` : int
    The file's sample rate, in Hz (no resampling).
``channels`` : int
    Channels in the file; the spectrogram is of their mean.
``n_samples`` : int
    Decoded samples per channel (counted, not taken from the header).
``duration_s`` : float
    ``n_samples / sample_rate``, in seconds.
``n_fft``, ``hop_length`` : int
    2048 and 512 samples.
``window`` : str
    ``"hann"`` (periodic).
``center`` : bool
    ``true``: frame ``t`` is centred on sample ``t * hop_length``.
``f_max_hz`` : float
    Top of the frequency axis, in Hz: ``min(10000, sample_rate / 2)``. Row ``r`` of an
    image (0 = top) spans ``[(399 - r), (400 - r)) * f_max_hz / 400`` Hz.
``n_bins`` : int
    FFT bins kept (bin ``k`` is at ``k * sample_rate / n_fft`` Hz, all <= f_max_hz).
``width``, ``height`` : int
    Overview size, in pixels (height is always 400).
``px_per_s`` : float
    Overview pixels per second, ``width / duration_s``; pixel ``x`` spans
    ``[x, x + 1) / px_per_s`` seconds.
``colormap`` : str
    ``"viridis"`` (matplotlib's 256-entry table).
``db_range`` : dict
    ``max_db`` (float): absolute level of the loudest cell of the 400 rows over the
    whole recording, ``10 * log10(max(power, 1e-10))`` dB of the rows' power (a steady
    tone's is its STFT magnitude's ``20 * log10(|X|)``); it is the overview's 0 dB.
    ``floor_db`` (float, -80.0): the overview's floor, relative to ``max_db``; the
    overview maps ``[max_db + floor_db, max_db]`` onto viridis.
    ``tile_db_at_0`` (-100.0) and ``tile_db_step`` (0.625): a tile pixel value ``v``
    (0..255) means the absolute level ``tile_db_at_0 + v * tile_db_step`` dB. To draw
    a tile like the overview, colour ``v`` with viridis index
    ``clip(floor((tile_db_at_0 + v * tile_db_step - max_db - floor_db) / -floor_db
    * 256), 0, 255)``; any other reference or floor works the same way, live.
``overview`` : dict
    ``key`` (``"overview.png"``, relative to the rendering), ``width``, ``height``,
    ``px_per_s`` (as above).
``tile_levels`` : list of dict
    One per pyramid level, finest first: ``level`` (0 = finest), ``px_per_s``,
    ``width`` (px of the whole level), ``tiles`` (count), ``start_s``, ``end_s``
    (seconds covered; ``start_s`` is ``-hop_length / (2 * sample_rate)``, the left
    edge of frame 0), ``objects`` (``["tiles/<level>-0.pngs", "tiles/<level>-1.pngs",
    ...]``, relative to the rendering: the level's tiles back to back, in order, each
    object at most 16 MiB) and ``bytes`` (their total size). Empty without a tile sink.
    (Engines 1.2 and 1.3 stored a level in one object, ``object``, ``tiles/<level>.pngs``.)
``tiles`` : list of dict
    Every tile: ``level``, ``index`` (0-based along the level), ``object`` (the object
    of its level holding it), ``offset`` and ``length`` (bytes: the tile's PNG is bytes
    ``offset`` to ``offset + length - 1`` of the object), ``start_s``, ``end_s``
    (seconds of its left and right edges), ``px_per_s``, ``width`` (<= 4096 px),
    ``height`` (400 px). Tiles
    of a level abut: pixel ``x`` of a tile spans ``start_s + [x, x + 1) / px_per_s``.
    Empty without a tile sink. (Engines before 1.2 stored each tile in its own object,
    named by a ``key`` field, ``"tiles/<level>/<index:06d>.png"``, instead of
    ``object``, ``offset`` and ``length``.)

Errors
------
:class:`AudioError` (a ``ValueError``) and its subclasses :class:`NotAudioError`,
:class:`EmptyAudioError`, :class:`TooLongError` mean the file cannot be rendered;
their message is a sentence for the user that names the file. :class:`RenderTimeout`
means the deadline passed.
"""

from .detector import BandEnergyDetector, Detections, Event
from .engine import ENGINE_VERSION, Rendering, detect, render
from .errors import AudioError, EmptyAudioError, NotAudioError, RenderTimeout, TooLongError

__all__ = [
    "ENGINE_VERSION",
    "AudioError",
    "BandEnergyDetector",
    "Detections",
    "EmptyAudioError",
    "Event",
    "NotAudioError",
    "Rendering",
    "RenderTimeout",
    "TooLongError",
    "detect",
    "render",
]
