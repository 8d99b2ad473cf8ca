/*
 * members-search.js: search inside the members' area, after unlock only.
 *
 * The search form is part of /medlem/'s encrypted content, so it exists only once the
 * page is unlocked. On members.js's "members:unlocked" event this script fetches the
 * index of each level whose key the unlock gave (data-indexes: {level: address}),
 * decrypts it with that key (StatiCrypt v3, the same as the pages) and searches it
 * here: nothing is fetched before unlock, and no query leaves the browser.
 *
 * Index (plugins/members/area_search.py): {"pages": [[url, title, date, kind, iso]],
 * "terms": {stem: [page numbers]}}. Words are stemmed with Snowball Swedish, the
 * stemmer Pagefind uses on the public search; stem() must match swedish_stem.py.
 */
(function (root) {
  "use strict";

  // ---- Snowball Swedish (classic), a copy of plugins/members/swedish_stem.py ----

  const VOWELS = "aeiouyäåö";
  const S_ENDING = "bcdfghjklmnoprtvy";
  const STEP1 = ("a arna erna heterna orna ad e ade ande arne are aste en anden aren heten ern ar er " +
    "heter or as arnas ernas ornas es ades andes ens arens hetens erns at andet het ast")
    .split(" ").sort((a, b) => b.length - a.length);
  const STEP2 = ["dd", "gd", "nn", "dt", "gt", "kt", "tt"];
  const STEP3 = [["fullt", "full"], ["löst", "lös"], ["lig", ""], ["els", ""], ["ig", ""]];
  const isVowel = (ch) => VOWELS.includes(ch);

  function region1(word) {
    for (let i = 1; i < word.length; i++) {
      if (!isVowel(word[i]) && isVowel(word[i - 1])) return Math.max(i + 1, 3);
    }
    return word.length;
  }

  function step1(word, r1) {
    for (const suffix of STEP1) {
      if (word.endsWith(suffix) && word.length - suffix.length >= r1) return word.slice(0, -suffix.length);
    }
    if (word.endsWith("s") && word.length - 1 >= r1 && word.length > 1 && S_ENDING.includes(word[word.length - 2])) {
      return word.slice(0, -1);
    }
    return word;
  }

  function step2(word, r1) {
    return STEP2.some((pair) => word.endsWith(pair) && word.length - 2 >= r1) ? word.slice(0, -1) : word;
  }

  function step3(word, r1) {
    for (const [suffix, replacement] of STEP3) {
      if (word.endsWith(suffix) && word.length - suffix.length >= r1) {
        return word.slice(0, -suffix.length) + replacement;
      }
    }
    return word;
  }

  function stem(word) {
    const r1 = region1(word);
    return step3(step2(step1(word, r1), r1), r1);
  }

  function words(text) {
    return String(text).normalize("NFC").toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
  }

  // ---- searching ----

  // Page numbers holding every word of the query; the last word may be unfinished.
  function search(index, query) {
    const stems = words(query).filter((w) => w.length >= 2).map(stem);
    if (!stems.length) return [];
    let found = null;
    stems.forEach((s, i) => {
      const last = i === stems.length - 1 && s.length >= 3;
      const hits = new Set();
      for (const [term, pages] of Object.entries(index.terms)) {
        if (term === s || (last && term.startsWith(s))) pages.forEach((p) => hits.add(p));
      }
      found = found === null ? hits : new Set([...found].filter((p) => hits.has(p)));
    });
    return [...found].sort((a, b) => a - b);
  }

  // Indexes of several levels in one: page numbers renumbered, terms merged.
  function merge(indexes) {
    const merged = { pages: [], terms: {} };
    for (const index of indexes) {
      const offset = merged.pages.length;
      merged.pages.push(...index.pages);
      for (const [term, pages] of Object.entries(index.terms)) {
        (merged.terms[term] = merged.terms[term] || []).push(...pages.map((p) => p + offset));
      }
    }
    return merged;
  }

  async function loadIndexes(addresses, keys) {
    const loaded = [];
    for (const [level, address] of Object.entries(addresses)) {
      if (!keys[level]) continue; // a level this password does not open: not even fetched
      const url = new URL(address, location.href);
      if (url.origin !== location.origin) continue;
      const response = await fetch(url, { credentials: "same-origin" });
      const bytes = response.ok && (await root.MembersCrypto.decryptPayload(await response.text(), keys[level]));
      if (bytes) loaded.push(JSON.parse(new TextDecoder().decode(bytes)));
    }
    return merge(loaded);
  }

  // Newest first: members look for "the latest decision on ...".
  function newestFirst(index, hits) {
    const iso = (n) => index.pages[n][4] || "";
    return hits.slice().sort((a, b) => (iso(a) < iso(b) ? 1 : iso(a) > iso(b) ? -1 : a - b));
  }

  function show(index, hits, query) {
    const list = document.getElementById("members-search-results");
    const status = document.getElementById("members-search-status");
    list.replaceChildren(...hits.map((number) => {
      const [url, title, date, kind] = index.pages[number];
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = url;
      link.textContent = title;
      item.append(link, " ", kind + ", " + date);
      return item;
    }));
    status.textContent = !query.trim() ? "" : hits.length === 1
      ? "1 träff för ”" + query + "”."
      : hits.length + " träffar för ”" + query + "”.";
  }

  root.MembersSearch = { stem, words, search, merge };
  if (typeof document === "undefined") return;

  document.addEventListener("members:unlocked", async (event) => {
    const form = document.getElementById("members-search");
    if (!form) return;
    let addresses = {};
    try { addresses = JSON.parse(form.dataset.indexes || "{}"); } catch (e) { return; }
    const loading = loadIndexes(addresses, event.detail.keys || {});
    form.addEventListener("submit", async (submitted) => {
      submitted.preventDefault();
      const query = form.elements.q.value;
      let index;
      try { index = await loading; } catch (e) {
        document.getElementById("members-search-status").textContent = "Sökningen kunde inte laddas. Försök igen senare.";
        return;
      }
      show(index, newestFirst(index, search(index, query)), query);
    });
  });
})(globalThis);
