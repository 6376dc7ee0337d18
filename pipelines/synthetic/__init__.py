"""Demo and benchmark data: every contract table as landing deliveries.

Run it as ``python -m pipelines.synthetic``.

See ``docs/generator.md`` for the model behind the numbers and the files it writes.
"""

from pipelines.synthetic.config import Config, config_for
from pipelines.synthetic.run import generate

__all__ = ["Config", "config_for", "generate"]
