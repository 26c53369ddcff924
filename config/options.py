"""Command-line options every area's commands share: which record, which index, which config."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

DbOpt = Annotated[Optional[str], typer.Option(
    "--db", help="SQLAlchemy URL (sqlite:///… or postgresql+psycopg://…); default: $DULUAN_DB or config")]
EsOpt = Annotated[Optional[str], typer.Option(
    "--es", help="Elasticsearch URL(s), comma-separated; default: $DULUAN_ES or config")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print one JSON object")]
ConfigOpt = Annotated[Optional[Path], typer.Option(
    "--config", help="configuration folder (default: the bundled config/)")]
