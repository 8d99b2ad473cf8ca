// The search page: Pagefind's JavaScript API on our own bundle (/pagefind/).
// Results go in a list of headed items; a polite live region says how many were found.
// Without JavaScript the form still lands here and the page's links help instead.

const MAX_RESULTS = 20;

const form = document.getElementById("search-form");
const field = document.getElementById("search-query");
const status = document.getElementById("search-status");
const section = document.getElementById("search-results");
const list = document.getElementById("search-results-list");
const fallback = document.getElementById("search-fallback");

let pagefind = null;

document.getElementById("search-needs-js").hidden = true;

async function loadPagefind() {
  if (!pagefind) {
    pagefind = await import(form.dataset.bundle + "pagefind.js");
    await pagefind.options({ baseUrl: form.dataset.base });
  }
  return pagefind;
}

function say(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
}

// Pagefind's excerpt is escaped text with <mark> around the matched words; parse it
// inertly (a <template> runs and loads nothing) and keep only text and <mark>.
function excerptNode(excerpt) {
  const parsed = document.createElement("template");
  parsed.innerHTML = excerpt;
  const paragraph = document.createElement("p");
  for (const node of parsed.content.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      paragraph.append(mark);
    } else {
      paragraph.append(node.textContent);
    }
  }
  return paragraph;
}

function resultItem(data) {
  const item = document.createElement("li");
  const heading = document.createElement("h3");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  item.append(heading);
  if (data.meta.date) {
    const date = document.createElement("p");
    date.className = "meta";
    date.textContent = data.meta.date;
    item.append(date);
  }
  item.append(excerptNode(data.excerpt));
  return item;
}

async function search(query) {
  list.replaceChildren();
  section.hidden = true;
  if (!query) {
    status.textContent = "";
    fallback.hidden = false;
    return;
  }
  status.textContent = form.dataset.searching;
  let found;
  try {
    found = await (await loadPagefind()).search(query);
  } catch (error) {
    status.textContent = form.dataset.unavailable;
    fallback.hidden = false;
    return;
  }
  const shown = found.results.slice(0, MAX_RESULTS);
  const results = await Promise.all(shown.map((result) => result.data()));
  list.append(...results.map(resultItem));
  section.hidden = results.length === 0;
  fallback.hidden = results.length > 0;
  const n = found.results.length;
  const template = n === 0 ? "none" : n === 1 ? "one" : n > shown.length ? "more" : "many";
  status.textContent = say(form.dataset[template], { n, q: query, shown: shown.length });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const query = field.value.trim();
  const url = new URL(window.location.href);
  url.searchParams.set("q", query);
  window.history.replaceState(null, "", url);
  search(query);
});

// Arriving from the header's search field: /sok/?q=...
const initial = new URLSearchParams(window.location.search).get("q");
if (initial) {
  field.value = initial;
  search(initial.trim());
}
