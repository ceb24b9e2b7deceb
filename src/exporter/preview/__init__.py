"""`studyguide serve`: a live preview of a guide's deck, book and cheat sheet for its author.

The preview is a view of the build, never a second renderer:

- `cards.py`: the deck's own note types (templates and CSS, as the Anki
  exporter packages them) filled with each planned note's fields the way
  Anki fills them (`anki_templates.py`);
- `builds.py`: one preview build, the cards and the book in the server's
  process (fast), the sheet in a separate build process (`sheet_job.py`), each
  into a folder of its own under the preview folder, never `dist/`;
- `session.py`: the last good build beside the current problems (`validate`
  and `lint`), rebuilt on each save and announced to the open pages;
- `watcher.py`: the source and the files it refers to, watched with watchfiles;
- `app.py`: the Starlette app (the page, its data, Server-Sent Events, the
  preview folder's files and nothing else); `server.py`: the command.
"""
