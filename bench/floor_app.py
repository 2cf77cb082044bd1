"""The floor: a bare Starlette app answering each benchmarked path with constant bytes.

It returns exactly the bytes the registry returned for that request, on the same uvicorn, uvloop and
httptools stack and worker count (each worker on a socket of its own, as `gi-registry serve` runs
them), so its req/s is what the machine can do with no work per request.
BENCH_FLOOR_DIR holds one <name>.body and <name>.type per endpoint; it is served at /<name>.
"""

import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

FOLDER = Path(os.environ["BENCH_FLOOR_DIR"])
BODIES = {
    path.stem: (path.read_bytes(), (FOLDER / f"{path.stem}.type").read_text())
    for path in FOLDER.glob("*.body")
}


async def constant(request: Request) -> Response:
    body, media_type = BODIES[request.path_params["name"]]
    return Response(body, media_type=media_type)


app = Starlette(routes=[Route("/{name}", constant, methods=["GET", "POST"])])
