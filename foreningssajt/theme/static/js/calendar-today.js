/* Hides calendar entries that have passed by the visitor's clock.
 *
 * The pages are static: what was upcoming at build time may be over today. Each entry
 * carries data-end (an ISO datetime with offset); entries whose end has passed are
 * hidden, and so is a month that has nothing left. A list with data-calendar-limit
 * shows that many of the entries still to come (the page holds a few spare ones).
 * Without JavaScript the page still says when the list was made; the real fix is a
 * nightly rebuild (see the README).
 */
(function () {
  "use strict";
  var now = Date.now();
  var each = function (selector, root, fn) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn);
  };
  var passed = function (entry) {
    var end = Date.parse(entry.getAttribute("data-end"));
    return !isNaN(end) && end <= now;
  };
  var entries = 0;
  var left = 0;
  each("[data-end]", null, function (entry) {
    entries += 1;
    if (passed(entry)) {
      entry.hidden = true;
    } else {
      left += 1;
    }
  });
  each("[data-calendar-limit]", null, function (list) {
    var room = parseInt(list.getAttribute("data-calendar-limit"), 10);
    each("[data-end]", list, function (entry) {
      if (!passed(entry)) {
        entry.hidden = room <= 0;
        room -= 1;
      }
    });
  });
  each("[data-calendar-group]", null, function (group) {
    group.hidden = !group.querySelector("[data-end]:not([hidden])");
  });
  if (entries && !left) {
    each("[data-calendar-empty]", null, function (note) {
      note.hidden = false;
    });
  }
})();
