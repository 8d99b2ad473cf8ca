/*
 * members.js: unlocks members' pages in the browser (StatiCrypt v3 format, WebCrypto).
 * No libraries, no network except fetching same-origin encrypted attachments.
 *
 * HTML contract (the members' generator writes this; ids are fixed):
 *
 *   <div id="members-locked">
 *     <form id="members-unlock">
 *       <label for="members-password">Lösenord</label>
 *       <input id="members-password" name="password" type="password"
 *              autocomplete="current-password" required>
 *       <button type="submit">Lås upp</button>
 *       <p id="members-error" role="alert" hidden></p>
 *     </form>
 *     <noscript>…this page needs JavaScript to unlock…</noscript>
 *   </div>
 *   <div id="members-content"></div>
 *   <button type="button" id="members-logout" hidden>Logga ut</button>
 *   <script type="application/json" id="members-payload"
 *           data-salt="32 hex chars" data-remember-days="30">CONFIG</script>
 *   <script src="…/js/members.js" defer></script>
 *
 * CONFIG is StatiCrypt's own config object as JSON, e.g.
 *   {"staticryptEncryptedMsgUniqueVariableName": "PAYLOAD HEX",
 *    "staticryptSaltUniqueVariableName": "32 hex chars", ...}
 * because the official CLI (`staticrypt --decrypt`) finds payload and salt by those
 * keys, so it can open our pages. Plain PAYLOAD HEX is accepted too.
 * The payload sits in a <script> of a non-JavaScript type rather than a <template>:
 * its text is neither parsed as HTML nor run, and is read back exactly.
 * data-remember-days: N > 0 remembers the unlock for N days in localStorage (shared by
 * all members' pages, so one unlock opens the whole area); 0 remembers it for this
 * tab's visit only (sessionStorage).
 *
 * Inside the decrypted content, attachment links look like
 *   <a href="URL" data-encrypted-attachment="URL" data-filename="x.pdf"
 *      data-mime="application/pdf">…</a>
 * where URL is a same-origin text file holding a payload made with the same key.
 *
 * Like StatiCrypt: `#staticrypt_pwd=<hashed password>` in the URL unlocks (a plain
 * password there is derived too); `staticrypt_logout` in the fragment or query logs
 * out; the remembered key is stored under staticrypt_passphrase and
 * staticrypt_expiration (ms timestamp).
 *
 * Access levels (members-levels.js, loaded first): CONFIG also holds membersLevel,
 * membersLevels (key check values and wrapped lower keys) and membersExtras (parts
 * for higher levels). One typed password is derived once; after unlock the page gets
 * a "members:unlocked" event with {keys: {level: hashed}} (members-search.js uses it).
 * A remembered key that opens no level any more (the password was changed) is
 * forgotten, with a line saying so; #members-forget keeps it for this tab only.
 *
 * Outside a browser (no `document`, e.g. Node tests) only the crypto runs; it is
 * always exported as globalThis.MembersCrypto.
 */
(function (root) {
  "use strict";

  const subtle = root.crypto.subtle;
  const utf8 = new TextEncoder();
  const HASHED = /^[0-9a-f]{64}$/;
  const KEY_PASS = "staticrypt_passphrase";
  const KEY_EXPIRY = "staticrypt_expiration";
  const DAY_MS = 24 * 60 * 60 * 1000;

  // ---- crypto: must match plugins/members/staticrypt.py byte for byte ----

  function hexToBytes(hex) {
    if (!/^(?:[0-9a-f]{2})*$/.test(hex)) throw new Error("not lowercase hex");
    const out = new Uint8Array(hex.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
    return out;
  }

  function bytesToHex(bytes) {
    let hex = "";
    for (const b of bytes) hex += (b < 16 ? "0" : "") + b.toString(16);
    return hex;
  }

  async function pbkdf2Hex(password, saltHex, iterations, hash) {
    const base = await subtle.importKey("raw", utf8.encode(password), "PBKDF2", false, ["deriveBits"]);
    const bits = await subtle.deriveBits(
      { name: "PBKDF2", salt: utf8.encode(saltHex), iterations, hash }, base, 256);
    return bytesToHex(new Uint8Array(bits));
  }

  // Three rounds, the hex text of one being the next one's password: StatiCrypt's
  // chain, kept so that pages stay compatible with the official tool.
  async function deriveKey(password, saltHex) {
    let hex = await pbkdf2Hex(password, saltHex, 1000, "SHA-1");
    hex = await pbkdf2Hex(hex, saltHex, 14000, "SHA-256");
    return pbkdf2Hex(hex, saltHex, 585000, "SHA-256");
  }

  // Returns the plaintext bytes, or null when the key is wrong or the payload was
  // changed (the MAC cannot tell these apart, and the caller treats both alike).
  async function decryptPayload(payload, hashedHex) {
    payload = String(payload).trim();
    const bodyLength = payload.length - 96;
    if (!HASHED.test(hashedHex) || bodyLength < 32 || bodyLength % 32) return null;
    let raw, mac, signed;
    try {
      raw = hexToBytes(hashedHex);
      mac = hexToBytes(payload.slice(0, 64));
      signed = payload.slice(64);
      hexToBytes(signed); // reject non-hex before spending time on the MAC
    } catch (e) {
      return null;
    }
    const macKey = await subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    // subtle.verify compares in constant time; the MAC covers the hex *text*.
    if (!(await subtle.verify("HMAC", macKey, mac, utf8.encode(signed)))) return null;
    const aesKey = await subtle.importKey("raw", raw, "AES-CBC", false, ["decrypt"]);
    try {
      const plain = await subtle.decrypt(
        { name: "AES-CBC", iv: hexToBytes(signed.slice(0, 32)) }, aesKey, hexToBytes(signed.slice(32)));
      return new Uint8Array(plain);
    } catch (e) {
      return null; // bad padding: authentic but broken, nothing to show
    }
  }

  root.MembersCrypto = { deriveKey, decryptPayload, hexToBytes, bytesToHex };
  if (typeof document === "undefined") return;

  // ---- the page ----

  const $ = (id) => document.getElementById(id);
  const payloadEl = $("members-payload");
  const form = $("members-unlock");
  if (!payloadEl || !form) return; // not a members' page

  const payloadText = payloadEl.textContent.trim();
  let config = {};
  if (payloadText.startsWith("{")) {
    try { config = JSON.parse(payloadText); } catch (e) { config = {}; }
  }
  const payload = config.staticryptEncryptedMsgUniqueVariableName || payloadText;
  const salt = payloadEl.dataset.salt || config.staticryptSaltUniqueVariableName;
  const rememberDays = Math.max(0, parseInt(payloadEl.dataset.rememberDays || "0", 10) || 0);
  const input = $("members-password");
  const error = $("members-error");
  const content = $("members-content");
  const logout = $("members-logout");
  const button = form.querySelector("button:not([type]), [type=submit]");
  const buttonText = button.textContent;
  let unlockedKey = null; // kept for attachments on this page

  // Storage can throw (disabled, private mode): the page must still unlock.
  function storageTry(fn) {
    try { return fn(); } catch (e) { return null; }
  }

  function forget() {
    storageTry(() => {
      for (const s of [localStorage, sessionStorage]) { s.removeItem(KEY_PASS); s.removeItem(KEY_EXPIRY); }
    });
  }

  function remember(hashed) {
    const notHere = $("members-forget") && $("members-forget").checked;
    if (notHere) forget(); // "Kom inte ihåg mig": nothing stays after the visit
    storageTry(() => {
      if (rememberDays > 0 && !notHere) {
        localStorage.setItem(KEY_PASS, hashed);
        localStorage.setItem(KEY_EXPIRY, String(Date.now() + rememberDays * DAY_MS));
      } else {
        sessionStorage.setItem(KEY_PASS, hashed);
      }
    });
  }

  function remembered() {
    return storageTry(() => {
      const expiry = parseInt(localStorage.getItem(KEY_EXPIRY) || "", 10);
      if (expiry && Date.now() > expiry) forget();
      return localStorage.getItem(KEY_PASS) || sessionStorage.getItem(KEY_PASS);
    });
  }

  // `typed`: the key came from the form or a link, so remember it (from now) and
  // move focus; a remembered key keeps its original expiry, as in StatiCrypt.
  // Returns members-levels.js's answer: {status: "ok" | "lower" | "unknown", ...}.
  async function unlock(hashed, typed) {
    const ring = root.MembersLevels
      ? await root.MembersLevels.open(hashed, config)
      : { status: "ok", keys: { medlem: hashed } };
    const pageKey = ring.keys[config.membersLevel || "medlem"] || hashed;
    const bytes = ring.status === "ok" ? await decryptPayload(payload, pageKey) : null;
    if (typed && ring.status !== "unknown") remember(hashed); // a lower key still opens other pages
    if (!bytes) return ring.status === "ok" ? { status: "unknown" } : ring;
    unlockedKey = pageKey;
    // A <template> parses the HTML without running scripts in it; never document.write.
    const tpl = document.createElement("template");
    tpl.innerHTML = new TextDecoder().decode(bytes);
    content.replaceChildren(tpl.content);
    if (root.MembersLevels) await root.MembersLevels.fillExtras(content, config, ring.keys);
    document.dispatchEvent(new CustomEvent("members:unlocked", { detail: { keys: ring.keys } }));
    $("members-locked").hidden = true;
    if (logout) logout.hidden = false;
    const heading = content.querySelector("h1, h2, h3");
    // After typing the password, tell screen readers where the text now is. On an
    // automatic unlock at load, leave focus where the browser put it (skip link first).
    if (typed === "form" && heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
    return ring;
  }

  function onlyFor(ring) {
    const name = ring.page && ring.page.name ? ring.page.name.toLowerCase() : "en annan nivå";
    return "Den här sidan är bara för " + name + ". Ditt lösenord öppnar andra medlemssidor.";
  }

  function notice(text) {
    const note = $("members-notice");
    if (!note) return;
    note.textContent = text;
    note.hidden = !text;
  }

  function setBusy(busy) {
    button.disabled = busy;
    button.textContent = busy ? "Låser upp…" : buttonText;
    if (busy) form.setAttribute("aria-busy", "true");
    else form.removeAttribute("aria-busy");
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    error.textContent = "";
    setBusy(true);
    let ring = { status: "unknown" };
    try {
      ring = await unlock(await deriveKey(input.value, salt), "form");
    } finally {
      setBusy(false);
    }
    if (ring.status !== "ok") {
      notice("");
      error.hidden = false;
      error.textContent = ring.status === "lower" ? onlyFor(ring) : "Fel lösenord. Försök igen.";
      input.focus();
      input.select();
    }
  });

  if (logout) {
    logout.addEventListener("click", () => { forget(); location.reload(); });
  }

  // Attachments: fetch the encrypted file, decrypt with the page's key, hand the
  // bytes to the browser as a download. Plaintext never touches the network.
  content.addEventListener("click", async (event) => {
    const link = event.target.closest("a[data-encrypted-attachment]");
    if (!link || !unlockedKey) return;
    event.preventDefault();
    const url = new URL(link.dataset.encryptedAttachment, location.href);
    let bytes = null;
    if (url.origin === location.origin) {
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (response.ok) bytes = await decryptPayload(await response.text(), unlockedKey);
      } catch (e) { /* offline or blocked: reported below */ }
    }
    if (!bytes) {
      let note = link.nextElementSibling;
      if (!note || !note.matches(".members-attachment-error")) {
        note = document.createElement("span");
        note.className = "members-attachment-error";
        note.setAttribute("role", "alert");
        link.after(note);
      }
      note.textContent = " Bilagan kunde inte öppnas. Försök igen senare.";
      return;
    }
    const blobUrl = URL.createObjectURL(
      new Blob([bytes], { type: link.dataset.mime || "application/octet-stream" }));
    const a = document.createElement("a");
    a.href = blobUrl;
    a.download = link.dataset.filename || "bilaga";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(blobUrl), 60000); // let the download start
  });

  // On load: a logout link, then a link with the key, then a remembered key.
  async function onLoad() {
    const query = new URLSearchParams(location.search);
    if (location.hash.includes("staticrypt_logout") || query.has("staticrypt_logout")) {
      forget();
      return;
    }
    const match = location.hash.match(/staticrypt_pwd=([^&]*)/);
    if (match) {
      // The key must not linger in the address bar, history or a shared screenshot.
      history.replaceState(null, "", location.pathname + location.search);
      let value = match[1];
      try { value = decodeURIComponent(value); } catch (e) { /* use it as written */ }
      setBusy(true);
      try {
        const hashed = HASHED.test(value) ? value : await deriveKey(value, salt);
        const ring = await unlock(hashed, "link");
        if (ring.status === "ok") return;
        if (ring.status === "lower") return notice(onlyFor(ring));
      } finally {
        setBusy(false);
      }
    }
    const saved = remembered();
    if (!saved) return;
    const ring = await unlock(saved, null);
    if (ring.status === "lower") notice(onlyFor(ring));
    if (ring.status !== "unknown") return;
    // The remembered key opens no level any more: the password was changed. Ask once.
    forget();
    notice("Lösenordet har bytts. Skriv det nya lösenordet en gång.");
  }

  onLoad();
})(globalThis);
