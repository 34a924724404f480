'use strict';
// The page of the `browser` runtime (browser_host.py serves it to its headless Chromium on
// loopback). It only relays: it starts the program's dedicated Web Worker
// (jsruntime/host_browser.js, whose header has the protocol), hands it what /boot returns,
// passes the runtime process's control commands (a server-sent event stream, /commands) to
// it, and posts what the worker says back to /events, one request at a time so that the
// order stays the worker's. The program never runs on this page: the page has the DOM, the
// program a worker's scope, as in a web app.

(function () {
  const base = location.pathname.replace(/[^/]*$/, '');
  const outbox = [];
  let sending = false;

  function forward(msg) {
    outbox.push(msg);
    if (!sending) send();
  }

  function send() {
    if (outbox.length === 0) { sending = false; return; }
    sending = true;
    const batch = outbox.splice(0, outbox.length);
    post(JSON.stringify(batch), 0);
  }

  /** One POST of what the worker said; on a failure (a loaded machine), the same again: the
   * output must arrive, once and in order (the runtime process stops us when the program ends). */
  function post(body, tries) {
    fetch(base + 'events', { method: 'POST', body, headers: { 'Content-Type': 'application/json' } })
      .then((r) => {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        send();
      })
      .catch((e) => {
        console.error('things: cannot reach the runtime process, trying again', e);
        setTimeout(() => post(body, tries + 1), Math.min(1000, 10 * 2 ** tries));
      });
  }

  const worker = new Worker(base + 'host_browser.js');
  worker.onmessage = (event) => forward(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    forward({ things: 'error', message: String(event.message || 'the Web Worker failed') });
  };
  worker.onmessageerror = () => forward({ things: 'error', message: 'a message of the Web Worker could not be read' });

  fetch(base + 'boot').then((r) => r.json()).then((boot) => {
    worker.postMessage(Object.assign({ things: 'start' }, boot));
    const commands = new EventSource(base + 'commands');
    commands.onmessage = (event) => worker.postMessage({ things: 'command', line: event.data });
  }, (e) => forward({ things: 'error', message: 'cannot load the program: ' + e }));
})();
