// Package: date-fns, one module per function. Builds a schedule of business days tick by tick, with
// intervals, formatting and differences.
const { addBusinessDays } = require('date-fns/addBusinessDays');
const { format } = require('date-fns/format');
const { differenceInCalendarDays } = require('date-fns/differenceInCalendarDays');
const { eachWeekendOfInterval } = require('date-fns/eachWeekendOfInterval');
const { isLeapYear } = require('date-fns/isLeapYear');
const { startOfQuarter } = require('date-fns/startOfQuarter');
const { formatDistanceStrict } = require('date-fns/formatDistanceStrict');
const { parseISO } = require('date-fns/parseISO');

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
  if (n < 7) setTimeout(tick, 2);
  else console.log(schedule.map((d) => format(d, 'd/M')).join(' '));
}
setTimeout(tick, 2);
