// Package: semver. Range objects and SemVer instances built once; one version
// checked per tick; the sorted list of accepted versions grows.
const semver = require('semver');

const ranges = ['^1.2.3', '~2.0.0 || >=3.1.0 <3.3', '1.x', '>=2.0.0-beta.1 <2.0.0'].map((r) => new semver.Range(r, { includePrerelease: true }));
const accepted = [];
let v = new semver.SemVer('1.2.0');
let n = 0;
function tick() {
  n++;
  const kind = ['patch', 'minor', 'major', 'prerelease', 'patch'][n % 5];
  v = new semver.SemVer(v.version).inc(kind, 'beta');
  const hits = ranges.map((r) => (r.test(v) ? 1 : 0));
  if (hits.some(Boolean)) accepted.push(v.version);
  console.log(n, v.version, kind, hits.join(''), semver.coerce(`v${v.major}.${v.minor}`).version, semver.diff('1.2.0', v.version));
  if (n < 7) setTimeout(tick, 2);
  else console.log(semver.rsort(accepted.slice()).join(' '), semver.maxSatisfying(accepted, '^2'), ranges[1].range);
}
setTimeout(tick, 2);
