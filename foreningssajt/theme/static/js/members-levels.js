/*
 * members-levels.js: access levels in the browser (the build side is
 * plugins/members/keyring.py). Loaded before members.js, which calls it.
 *
 * Each members' page carries, in its JSON config:
 *   membersLevel:  the id of the level its payload is encrypted for ("medlem", "styrelse")
 *   membersLevels: [{id, name, check, wrap?}, ...] lowest level first, where
 *                  check = first 16 hex of HMAC-SHA256(key, "members-key-check") and
 *                  wrap  = the next lower level's key, encrypted with this level's key
 *   membersExtras: [{level, payload}]: parts of the page (the board's list entries)
 *                  that only that level may read
 *
 * One typed password gives one derived key (members.js derives it, once). Its check
 * value says which level it is; the lower levels' keys come from unwrapping, one AES
 * decryption each, so the board password opens members' pages without a second
 * 600,000-round derivation. A key whose check matches no level is a password that was
 * changed since it was remembered (or simply a wrong one).
 */
(function (root) {
  "use strict";

  const CHECK_LABEL = new TextEncoder().encode("members-key-check");
  const CHECK_HEX = 16;

  async function keyCheck(hashedHex) {
    const C = root.MembersCrypto;
    const key = await root.crypto.subtle.importKey(
      "raw", C.hexToBytes(hashedHex), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const mac = await root.crypto.subtle.sign("HMAC", key, CHECK_LABEL);
    return C.bytesToHex(new Uint8Array(mac)).slice(0, CHECK_HEX);
  }

  async function unwrapDown(levels, rank, hashed) {
    const keys = { [levels[rank].id]: hashed };
    for (let i = rank; i > 0; i--) {
      const bytes = await root.MembersCrypto.decryptPayload(levels[i].wrap || "", keys[levels[i].id]);
      if (!bytes) break;
      keys[levels[i - 1].id] = new TextDecoder().decode(bytes);
    }
    return keys;
  }

  // What a key opens on this page: {status, keys: {levelId: hex}, page: level entry}.
  // status "ok": the page's level or higher; "lower": a valid key of a lower level;
  // "unknown": no level's key (wrong password, or one changed since it was remembered).
  async function open(hashed, config) {
    const levels = Array.isArray(config.membersLevels) ? config.membersLevels : [];
    const pageLevel = config.membersLevel || "medlem";
    if (!levels.length) return { status: "ok", keys: { [pageLevel]: hashed }, page: null };
    let check = "";
    try { check = await keyCheck(hashed); } catch (e) { return { status: "unknown", keys: {} }; }
    const rank = levels.findIndex((level) => level.check === check);
    if (rank < 0) return { status: "unknown", keys: {} };
    const pageRank = Math.max(0, levels.findIndex((level) => level.id === pageLevel));
    const keys = await unwrapDown(levels, rank, hashed);
    return { status: rank >= pageRank ? "ok" : "lower", keys, page: levels[pageRank] };
  }

  // The higher levels' parts of a page, for the levels whose keys the reader holds.
  async function fillExtras(content, config, keys) {
    const slot = content.querySelector("[data-members-slot]") || content;
    for (const extra of config.membersExtras || []) {
      const key = keys[extra.level];
      const bytes = key && (await root.MembersCrypto.decryptPayload(extra.payload, key));
      if (!bytes) continue;
      const tpl = document.createElement("template"); // parses without running scripts
      tpl.innerHTML = new TextDecoder().decode(bytes);
      slot.append(tpl.content);
    }
  }

  root.MembersLevels = { keyCheck, open, fillExtras };
})(globalThis);
