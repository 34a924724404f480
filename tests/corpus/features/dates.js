// Feature: Date objects from fixed timestamps (getTime, toISOString, UTC
// getters/setters), an invalid Date, Dates as Map keys and in objects.
const epoch = new Date(0);
const moon = new Date(Date.UTC(1969, 6, 20, 20, 17, 40));
const y2k = new Date('2000-01-01T00:00:00.000Z');
const invalid = new Date('not a date');
const events = new Map([[moon, 'moon landing'], [y2k, 'y2k']]);
const log = { created: new Date(1234567890123), dates: [epoch, moon] };

let n = 0;
function tick() {
  n++;
  y2k.setUTCDate(y2k.getUTCDate() + 7);
  epoch.setTime(epoch.getTime() + 86400000 * 365);
  console.log(n, y2k.toISOString(), epoch.toISOString(), moon.getTime(), events.get(moon), events.get(y2k));
  console.log('  ', isNaN(invalid.getTime()), String(invalid), invalid.getUTCDay(), y2k.getUTCDay(), y2k > moon);
  if (n === 5) log.dates.push(new Date(Date.UTC(2024, 1, 29)));
  if (n < 9) setTimeout(tick, 3);
  else console.log(log, JSON.stringify(log), events, log.dates[0] === epoch);
}
setTimeout(tick, 3);
