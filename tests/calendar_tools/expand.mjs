// Expands every VEVENT of an iCalendar file with Mozilla's ical.js (not our Python code).
// stdin: the .ics text; argv[1]: last local start to include ("2027-09-15T12:00:00").
// stdout: JSON list of {uid, summary, status, sequence, allDay, start, startUtc, end, endUtc}
// where start/end are local wall-clock text and *Utc are milliseconds since the epoch.
// A VEVENT with RECURRENCE-ID overrides one date of its series (a cancelled date, say):
// it is related to the series, as calendar apps do, and its summary and status win.
import ICAL from "ical.js";
import { readFileSync } from "node:fs";

const until = process.argv[process.argv.length - 1];
const calendar = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const components = calendar.getAllSubcomponents("vevent");
const overrides = components.filter((c) => c.hasProperty("recurrence-id"));
const out = [];
for (const component of components.filter((c) => !c.hasProperty("recurrence-id"))) {
  const event = new ICAL.Event(component);
  for (const override of overrides) {
    if (override.getFirstPropertyValue("uid") === event.uid) event.relateException(override);
  }
  const iterator = event.iterator();
  for (let next = iterator.next(); next; next = iterator.next()) {
    const details = event.getOccurrenceDetails(next);
    const item = details.item;
    const start = details.startDate;
    if (start.toString() > until) break;
    const end = item.component.hasProperty("dtend") || item.component.hasProperty("duration") ? details.endDate : null;
    out.push({
      uid: item.uid,
      summary: item.summary,
      status: item.component.getFirstPropertyValue("status"),
      sequence: item.sequence,
      allDay: start.isDate,
      start: start.toString(),
      startUtc: start.toUnixTime() * 1000,
      end: end ? end.toString() : null,
      endUtc: end ? end.toUnixTime() * 1000 : null,
      override: item !== event,
    });
    if (out.length > 100000) throw new Error("runaway expansion");
  }
}
process.stdout.write(JSON.stringify(out));
