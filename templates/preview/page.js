// The preview page: draws the server's state, and draws it again on each change it announces.
"use strict";

const shown = { build: null, sheet: null, cards: [], styles: [] };
const $ = (selector) => document.querySelector(selector);

function element(tag, properties = {}, ...children) {
  const made = Object.assign(document.createElement(tag), properties);
  made.append(...children);
  return made;
}

// --- views -------------------------------------------------------------------------------

function showView() {
  const view = (location.hash || "#cards").slice(1);
  for (const section of document.querySelectorAll("main > .view")) section.hidden = section.id !== `view-${view}`;
  for (const link of document.querySelectorAll("nav#views a")) {
    if (link.dataset.view === view) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}
window.addEventListener("hashchange", showView);

// --- status and problems -------------------------------------------------------------------

function plural(count, noun) { return `${count} ${noun}${count === 1 ? "" : "s"}`; }

function drawStatus(state) {
  const status = $("#status");
  const build = state.build;
  const showing = build ? `showing build ${build.number}` : "nothing to show yet";
  let text;
  if (state.status === "building") text = `Building… (${showing})`;
  else if (state.status === "broken") text = `The source has ${plural(state.problems.length, "problem")}; ${build ? "showing the last good preview, build " + build.number : "nothing to show yet"}.`;
  else text = `Up to date: build ${build.number}, cards and book in ${build.seconds.toFixed(2)} s.`;
  const sheet = { waiting: "", building: " Cheat sheets: laying out…", failed: " Cheat sheets: failed.",
                  ready: state.sheet ? ` Cheat sheets: build ${state.sheet.number}, in ${state.sheet.seconds.toFixed(1)} s.` : "" };
  status.textContent = text + (sheet[state.sheet_status] || "");
  status.className = state.status;
  document.body.dataset.status = state.status;
  document.body.dataset.build = build ? build.number : "";
  document.body.dataset.sheet = state.sheet ? state.sheet.number : "";
  document.body.dataset.sheetJob = state.sheet_job_ready ? "ready" : "";
}

function drawProblems(state) {
  const box = $("#problems");
  const groups = [
    ["problems", `Problems (the preview shows the last good build until they are fixed)`, state.problems],
    ["problems", "Cheat sheet", state.sheet_problems],
    ["findings", "Lint findings", state.findings],
    ["notes", "Notes", state.notes],
  ].filter(([, , lines]) => lines.length);
  box.replaceChildren(...groups.flatMap(([kind, title, lines]) => [
    element("h2", { textContent: `${title}: ${lines.length}` }),
    element("ul", { className: kind }, ...lines.map((line) => element("li", { textContent: line }))),
  ]));
  box.hidden = groups.length === 0;
}

// --- cards --------------------------------------------------------------------------------

async function loadCards(build) {
  const response = await fetch(build.base + build.cards, { cache: "no-store" });
  const deck = await response.json();
  shown.cards = deck.cards;
  shown.styles = deck.styles;
  fillChoices("deck", [...new Set(deck.cards.map((card) => card.deck))]);
  fillChoices("type", [...new Set(deck.cards.map((card) => card.note_type))]);
  const tags = [...new Set(deck.cards.flatMap((card) => card.tags))].sort();
  $("#tags").replaceChildren(...tags.map((tag) => element("option", { value: tag })));
  $("#card-filters [name=tag]").placeholder = tags.find((tag) => tag.endsWith("::tier::1")) || tags[0] || "";
  drawCards();
}

function fillChoices(name, values) {
  const select = $(`#card-filters [name=${name}]`);
  const chosen = select.value;
  select.replaceChildren(element("option", { value: "", textContent: "all" }),
    ...values.map((value) => element("option", { value, textContent: value })));
  select.value = values.includes(chosen) ? chosen : "";
}

function drawCards() {
  const form = $("#card-filters");
  const deck = form.deck.value, type = form.type.value, tag = form.tag.value.trim().toLowerCase();
  const night = form.night.checked;
  const cards = shown.cards.filter((card) => (!deck || card.deck === deck) && (!type || card.note_type === type)
    && (!tag || card.tags.some((t) => t.toLowerCase() === tag || t.toLowerCase().startsWith(tag + "::"))));
  form.count.value = `${cards.length} of ${shown.cards.length} cards`;
  const list = $("#card-list");
  list.className = form.width.value === "desktop" ? "width-desktop" : "";
  list.replaceChildren(...cards.map((card) => element("li", { className: "card-entry" },
    element("div", { className: "card-head", textContent: `${card.deck} · ${card.note_type} · ${card.card} · ${card.tags.join(" ")}` }),
    element("div", { className: "sides" }, side("Front", card, card.front, night), side("Back", card, card.back, night)))));
}

// Each note type's CSS, parsed once per build and shared by every card of that type.
const cardStyles = new Map();
function cardStyle(name) {
  const css = shown.styles[name];
  if (!cardStyles.has(css)) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`${css}\n:host { display: block; }`);
    cardStyles.set(css, sheet);
  }
  return cardStyles.get(css);
}

// One side of a card as Anki shows it: the deck's own CSS and the rendered template, in a shadow
// root so that neither the page's styles nor another card's reach it. The .card element stands for
// the reviewer's body (with its classes, and a margin like the apps' own).
function side(title, card, html, night) {
  const screen = element("div", { className: "screen" });
  const root = screen.attachShadow({ mode: "open" });
  const classes = `card card${card.ord + 1}${night ? " nightMode night_mode" : ""}`;
  root.adoptedStyleSheets = [cardStyle(card.style)];
  root.innerHTML = `<div class="${classes}" style="margin: 0; padding: 16px; min-height: 100%"><div id="qa">${html}</div></div>`;
  // A card names its pictures as Anki's media folder holds them: here they are in the build's media folder.
  for (const image of root.querySelectorAll("img[src]")) {
    const name = image.getAttribute("src");
    if (!/^[a-z]+:|^\//i.test(name)) image.src = shown.build.base + shown.build.media + name;
  }
  return element("div", { className: "side" }, element("h3", { textContent: title }), screen);
}

$("#card-filters").addEventListener("input", drawCards);
$("#card-filters").addEventListener("submit", (event) => event.preventDefault());

// --- book ---------------------------------------------------------------------------------

let chapterPath = null;  // the chapter shown, relative to its build's folder, with its #anchor

function drawBook(build) {
  const frame = $("#book-frame");
  $("#epub-link").href = build.base + build.epub;
  const hrefs = build.chapters.map((chapter) => chapter.href);
  if (!chapterPath || !hrefs.includes(chapterPath.split("#")[0])) chapterPath = hrefs[Math.min(3, hrefs.length - 1)];
  $("#chapters").replaceChildren(...build.chapters.map((chapter) => {
    const link = element("a", { href: build.base + chapter.href, textContent: chapter.title.split(" · ")[0] });
    link.addEventListener("click", (event) => { event.preventDefault(); chapterPath = chapter.href; openChapter(); });
    return element("li", {}, link);
  }));
  openChapter();
}

function openChapter() {
  $("#book-frame").src = shown.build.base + chapterPath;
  for (const link of document.querySelectorAll("#chapters a")) {
    if (link.getAttribute("href") === shown.build.base + chapterPath.split("#")[0]) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

// Links inside the book move the frame: remember where, so the next build opens the same page.
$("#book-frame").addEventListener("load", () => {
  const frame = $("#book-frame");
  const base = new URL(shown.build.base, location.href).pathname;
  const here = frame.contentWindow.location;
  if (here.pathname.startsWith(base)) chapterPath = here.pathname.slice(base.length) + here.hash;
});
$("#book-width").addEventListener("input", (event) => { $("#book-frame").className = event.target.value; });

// --- sheet --------------------------------------------------------------------------------

function drawSheet(sheet) {
  $("#papers").replaceChildren(...sheet.papers.map((paper) => element("article", { className: "paper" },
    element("h2", {}, `${paper.paper === "a4" ? "A4" : "US Letter"} · `, element("a", { href: sheet.base + paper.pdf, textContent: paper.pdf })),
    paper.pages.length
      ? element("div", { className: "pages" }, ...paper.pages.map((page, index) =>
        element("img", { src: sheet.base + page, alt: `Page ${index + 1} of the ${paper.paper} sheet`, width: 660 })))
      : element("p", { textContent: "Page images need poppler's pdftoppm (Debian: poppler-utils); open the PDF instead." }),
    element("div", { className: "fill" }, fillList(`On the sheet (${paper.on.length})`, paper.on),
      fillList(`Left out (${paper.off.length})`, paper.off)))));
}

function fillList(title, items) {
  return element("section", {}, element("h3", { textContent: title }),
    element("ol", {}, ...items.map((item) => element("li", { textContent: `${item.kind} ${item.id}${item.tier ? ` (tier ${item.tier})` : ""}: ${item.text}` }))));
}

// --- the server's state -------------------------------------------------------------------

async function draw(state) {
  drawStatus(state);
  drawProblems(state);
  $("#sheet-status").textContent = state.sheet_status === "building" ? "Laying out the sheets…" : "";
  if (state.build && state.build.number !== (shown.build && shown.build.number)) {
    shown.build = state.build;
    await loadCards(state.build);
    drawBook(state.build);
  }
  if (state.sheet && state.sheet.number !== (shown.sheet && shown.sheet.number)) {
    shown.sheet = state.sheet;
    drawSheet(state.sheet);
  }
}

let drawing = Promise.resolve();
const events = new EventSource("events");
events.addEventListener("state", (event) => {
  const state = JSON.parse(event.data);
  drawing = drawing.then(() => draw(state)).catch((error) => { $("#status").textContent = `Preview error: ${error}`; });
});
events.addEventListener("error", () => { if (events.readyState === EventSource.CLOSED) $("#status").textContent = "The preview server stopped."; });
showView();
