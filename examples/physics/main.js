// The page of the sample web app: draws the bodies its worker (physics.js) steps, and moves
// that worker between this page and the cluster. Served with things-web.js next to it
// (things web-assets --out examples/physics/things), the cluster's gateway given in the URL:
// index.html?cluster=ws://127.0.0.1:7902
import { MobileWorker } from './things/things-web.js';

const params = new URLSearchParams(location.search);
const cluster = params.get('cluster') || 'ws://' + location.hostname + ':7902';
const $ = (id) => document.getElementById(id);
const view = $('view').getContext('2d');
let worker = null;
let last = null;
window.sample = { frames: [], where: '-', errors: [] }; // what a test reads

function draw(msg) {
  const p = msg.positions;
  view.fillStyle = '#000';
  view.fillRect(0, 0, 640, 480);
  view.fillStyle = '#6cf';
  for (let i = 0; i < p.length; i += 3) {
    // x in [-10, 10] to the width, y in [0, 20] to the height (z as size)
    const x = (p[i] + 10) * 32;
    const y = 480 - p[i + 1] * 24;
    const r = 2 + (p[i + 2] + 10) / 5;
    view.fillRect(x - r / 2, y - r / 2, r, r);
  }
}

function show() {
  $('where').textContent = worker ? worker.where + (worker.worker ? ' (' + worker.worker + ')' : '') : '-';
  $('offload').disabled = !worker || worker.where !== 'page';
  $('move').disabled = $('back').disabled = !worker || worker.where !== 'cluster';
  window.sample.where = worker ? worker.where : '-';
  window.sample.worker = worker ? worker.worker : null;
}

function failed(e) {
  $('error').textContent = String(e && e.message || e);
  window.sample.errors.push(String(e && e.message || e));
}

$('start').onclick = () => {
  worker = new MobileWorker('physics.js', { cluster, keys: window.thingsKeys });
  worker.onstatechange = show;
  worker.onerror = (e) => failed(e.message);
  worker.onmessage = (e) => {
    const msg = e.data;
    if (msg.frame !== undefined) {
      if (last !== null && msg.frame !== last + 1 && msg.positions) failed('frame ' + msg.frame + ' after ' + last);
      if (msg.positions) last = msg.frame;
      $('frame').textContent = msg.frame;
      $('checksum').textContent = msg.checksum.toFixed(6);
      window.sample.frames.push([msg.frame, msg.checksum, worker.where]);
      if (msg.positions) draw(msg);
    }
  };
  worker.postMessage({ cmd: 'start', bodies: Number($('bodies').value) });
  $('start').disabled = true;
  show();
};
$('offload').onclick = () => worker.offload(params.get('edge') || undefined).then(show, failed);
$('move').onclick = () => worker.migrate($('target').value).then(show, failed);
$('back').onclick = () => worker.bringBack().then(show, failed);
window.sample.act = (what, arg) => worker[what](arg).then((r) => { show(); return r; });
