"""The preview's web app (Starlette): the page, its state and events, and the preview folder's files.

- `/`: the page (`templates/preview/`), which draws everything from the state;
- `/state.json` and `/events`: the state, and each change of it as a
  Server-Sent Event;
- `/files/…`: what the builds wrote into the preview folder, and nothing
  else: a path with an empty, `.` or `..` part, a backslash, or an encoded
  slash is refused before it is looked up, and what it names must be a file
  inside the folder once links are resolved.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from exporter.build.templates import TEMPLATES_DIR, template_environment
from exporter.preview.session import Session
from exporter.preview.watcher import watch

PAGE_TEMPLATES = TEMPLATES_DIR / "preview"
ASSETS = {"page.js": "text/javascript", "page.css": "text/css"}
KEEP_ALIVE_SECONDS = 15
_NOT_FOUND = PlainTextResponse("not found\n", status_code=404)


def create_app(session: Session) -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(app):
        tasks = [asyncio.create_task(session.run()), asyncio.create_task(watch(session))]
        try:
            yield
        finally:
            await session.close()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def page(request: Request) -> Response:
        html = template_environment("preview").get_template("page.html.j2").render(source=str(session.source))
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:
            return _NOT_FOUND
        return FileResponse(PAGE_TEMPLATES / name, media_type=ASSETS[name], headers={"Cache-Control": "no-store"})

    async def state(request: Request) -> Response:
        return JSONResponse(session.state, headers={"Cache-Control": "no-store"})

    async def events(request: Request) -> Response:
        queue = session.subscribe()

        async def stream():
            try:
                yield _event(session.state)
                while not session.closed.is_set():
                    closing = asyncio.create_task(session.closed.wait())
                    change = asyncio.create_task(queue.get())
                    done, _ = await asyncio.wait({closing, change}, timeout=KEEP_ALIVE_SECONDS,
                                                 return_when=asyncio.FIRST_COMPLETED)
                    closing.cancel()
                    if change in done:
                        yield _event(change.result())
                    else:
                        change.cancel()
                        yield ": still here\n\n"
            finally:
                session.unsubscribe(queue)

        return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})

    async def files(request: Request) -> Response:
        target = served_file(session.folder, request.path_params["path"], request.scope.get("raw_path", b""))
        if target is None:
            return _NOT_FOUND
        return FileResponse(target)

    return Starlette(routes=[
        Route("/", page),
        Route("/assets/{name}", asset),
        Route("/state.json", state),
        Route("/events", events),
        Route("/files/{path:path}", files),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
    ], lifespan=lifespan)


def served_file(folder: Path, path: str, raw_path: bytes = b"") -> Path | None:
    """The file `path` names inside `folder`, or None if it names anything else."""
    if b"%2f" in raw_path.lower() or b"%5c" in raw_path.lower():  # an encoded slash hides a part
        return None
    parts = path.split("/")
    if any(part in ("", ".", "..") or "\\" in part or "\0" in part for part in parts):
        return None
    root = folder.resolve()
    target = root.joinpath(*parts).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        return None
    return target


def _event(state: dict) -> str:
    return f"event: state\ndata: {json.dumps(state, ensure_ascii=False)}\n\n"
