"""Matplotlib's viridis colour map as 8-bit data, so the engine needs no matplotlib.

The table is ``viridis.json`` beside this module, which the browser app's viewer reads
too, so that the tiles it colours look like the overview PNG coloured here: matplotlib's
256-entry ``viridis`` listed colour map, each channel scaled to 0..255 and rounded
(``(cmap(np.arange(256))[:, :3] * 255).round()``). A unit test checks it against the
installed matplotlib.
"""

import json
from pathlib import Path

import numpy as np

#: (256, 3) uint8 RGB table; index 0 is the darkest (the dB floor), 255 the brightest.
VIRIDIS = np.array(json.loads(Path(__file__).with_name("viridis.json").read_text()), np.uint8)
