// Package: date-fns. Builds a schedule of business days tick by tick, with
// intervals, formatting and differences.
const { addBusinessDays, format, differenceInCalendarDays, eachWeekendOfInterval, isLeapYear, startOfQuarter, formatDistanceStrict, parseISO } = require('date-fns');

const base = parseISO('2024-02-26T09:00:00');
const schedule = [base];
let n = 0;
function tick() {
  n++;
  const prev = schedule[schedule.length - 1];
  const next = addBusinessDays(prev, n);
  schedule.push(next);
  const weekends = eachWeekendOfInterval({ start: prev, end: next }).length;
  console.log(n, format(next, 'yyyy-MM-dd EEE'), differenceInCalendarDays(next, prev), weekends,
    format(startOfQuarter(next), 'MMM d'), isLeapYear(next), formatDistanceStrict(next, base));
  if (n < 12) setTimeout(tick, 2);
  else console.log(schedule.map((d) => format(d, 'd/M')).join(' '));
}
setTimeout(tick, 2);
