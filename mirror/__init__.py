"""The offline press mirror: ten outlets and a hostile one, served on loopback for the demo and the tests.

``ROOT`` holds the generated pages (``sites/``), their manifest with the labels the
classifiers are evaluated on, and the outlets as duluan sources; ``server.MirrorServer``
serves them. It ships inside the package so ``duluan demo`` runs from a wheel.
"""

from pathlib import Path

ROOT: Path = Path(__file__).resolve().parent
