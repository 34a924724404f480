// Package: luxon. DateTime and Duration objects in fixed UTC offsets, one step
// per tick; luxon formats through Intl, so Intl objects live in its caches.
const { DateTime, Duration, Interval } = require('luxon');

let dt = DateTime.fromISO('2024-03-09T22:15:00', { zone: 'UTC' });
const first = dt;
let acc = Duration.fromObject({ hours: 0 });
let n = 0;
const iv = setInterval(() => {
  n++;
  dt = dt.plus({ hours: n * 7, minutes: 13 });
  acc = acc.plus({ hours: n * 7, minutes: 13 });
  const shifted = dt.setZone('UTC+5:30');
  console.log(n, dt.toISO(), shifted.toFormat('yyyy LLL dd HH:mm ZZ'), acc.shiftTo('days', 'hours', 'minutes').toHuman(),
    Interval.fromDateTimes(first, dt).length('days').toFixed(2), dt.weekNumber);
  if (n === 7) {
    clearInterval(iv);
    console.log(dt.toLocaleString(DateTime.DATETIME_MED), dt.toRelative({ base: first }));
  }
}, 3);
