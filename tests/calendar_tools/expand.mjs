// Expands every VEVENT of an iCalendar file with Mozilla's ical.js (not our Python code).
// stdin: the .ics text; argv[1]: last local start to include ("2027-09-15T12:00:00").
// stdout: JSON list of {uid, summary, status, sequence, allDay, start, startUtc, end, endUtc}
// where start/end are local wall-clock text and *Utc are milliseconds since the epoch.
import ICAL from "ical.js";
import { readFileSync } from "node:fs";

const until = process.argv[process.argv.length - 1];
const calendar = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const out = [];
for (const component of calendar.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(component);
  const iterator = event.iterator();
  for (let next = iterator.next(); next; next = iterator.next()) {
    const details = event.getOccurrenceDetails(next);
    const start = details.startDate;
    if (start.toString() > until) break;
    const end = component.hasProperty("dtend") || component.hasProperty("duration") ? details.endDate : null;
    out.push({
      uid: event.uid,
      summary: event.summary,
      status: component.getFirstPropertyValue("status"),
      sequence: event.sequence,
      allDay: start.isDate,
      start: start.toString(),
      startUtc: start.toUnixTime() * 1000,
      end: end ? end.toString() : null,
      endUtc: end ? end.toUnixTime() * 1000 : null,
    });
    if (out.length > 100000) throw new Error("runaway expansion");
  }
}
process.stdout.write(JSON.stringify(out));
