// Package: dayjs with plugins (utc, duration, relativeTime, isoWeek). A dayjs
// instance advances one step per tick; durations accumulate.
const dayjs = require('dayjs');
dayjs.extend(require('dayjs/plugin/utc'));
dayjs.extend(require('dayjs/plugin/duration'));
dayjs.extend(require('dayjs/plugin/relativeTime'));
dayjs.extend(require('dayjs/plugin/isoWeek'));

const start = dayjs.utc('2024-01-28T10:30:00Z');
let cur = start;
let total = dayjs.duration(0);
let n = 0;
const iv = setInterval(() => {
  n++;
  cur = cur.add(n * 5, 'day').add(n, 'hour');
  total = total.add(n * 5, 'days');
  console.log(n, cur.format('YYYY-MM-DD HH:mm ddd'), 'week', cur.isoWeek(), cur.from(start, true), total.asDays(), cur.endOf('month').date());
  if (n === 7) {
    clearInterval(iv);
    console.log(cur.diff(start, 'month', true).toFixed(3), cur.isAfter(start), total.humanize(), cur.toISOString());
  }
}, 3);
