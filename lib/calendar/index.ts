export { writeIcs, escapeText, foldLine, utcStamp, IcsError, type CalendarEvent } from './ics';
