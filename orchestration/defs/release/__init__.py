"""Publishing in Dagster: the release asset after the build's blocking checks, and the sensor
that records a build that published nothing.

Wire into `orchestration.definitions` with the lists below; they need the `releases` and
`warehouse` resources.
"""

from orchestration.defs.release.assets import RELEASE_KEY, published_release
from orchestration.defs.release.refusals import refused_build_sensor

RELEASE_ASSETS = [published_release]
RELEASE_SENSORS = [refused_build_sensor]

__all__ = ["RELEASE_ASSETS", "RELEASE_KEY", "RELEASE_SENSORS"]
