"""The portal's own settings plus one bench-only URL (the bare view). Used only by the benchmarks."""

from consultatie.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
