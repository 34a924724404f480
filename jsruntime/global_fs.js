'use strict';
// `require('fs')` for a program that a worker runs: relative paths are files of the global
// file system (so a program's files follow it from worker to worker); other paths are the
// host's. The calls go to the worker synchronously (host.rpc); the async forms call back
// through the program's event loop.

const { loop } = require('./timers.js');

function fsError(code, syscall, path) {
  const messages = { ENOENT: 'no such file or directory', EACCES: 'permission denied', EIO: 'i/o error' };
  const err = new Error(code + ': ' + (messages[code] || 'error') + ', ' + syscall + " '" + path + "'");
  err.code = code;
  err.errno = code === 'ENOENT' ? -2 : code === 'EACCES' ? -13 : -5;
  err.syscall = syscall;
  err.path = path;
  return err;
}

function makeGlobalFs(host, realFs) {
  const isGlobal = (p) => typeof p === 'string' && p !== '' && !p.startsWith('/') && !/^[A-Za-z]:/.test(p);
  const call = (req, syscall) => {
    const reply = host.rpc(req);
    if (reply.error) throw fsError(reply.code || 'EIO', syscall, req.path);
    return reply;
  };
  const encodingOf = (opts) => (typeof opts === 'string' ? opts : opts && opts.encoding) || null;
  const toBytes = (data, opts) => {
    if (typeof data === 'string') return Buffer.from(data, encodingOf(opts) || 'utf8');
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  };
  const fsx = Object.create(realFs);
  const sync = {
    readFileSync(p, opts) {
      if (!isGlobal(p)) return realFs.readFileSync(p, opts);
      const buf = Buffer.from(call({ op: 'read', path: p }, 'open').b64, 'base64');
      const enc = encodingOf(opts);
      return enc ? buf.toString(enc) : buf;
    },
    writeFileSync(p, data, opts) {
      if (!isGlobal(p)) return realFs.writeFileSync(p, data, opts);
      call({ op: 'write', path: p, b64: toBytes(data, opts).toString('base64') }, 'open');
      return undefined;
    },
    appendFileSync(p, data, opts) {
      if (!isGlobal(p)) return realFs.appendFileSync(p, data, opts);
      call({ op: 'append', path: p, b64: toBytes(data, opts).toString('base64') }, 'open');
      return undefined;
    },
    existsSync(p) {
      if (!isGlobal(p)) return realFs.existsSync(p);
      return host.rpc({ op: 'stat', path: p }).error === undefined;
    },
    unlinkSync(p) {
      if (!isGlobal(p)) return realFs.unlinkSync(p);
      call({ op: 'delete', path: p }, 'unlink');
      return undefined;
    },
    readdirSync(p, opts) {
      if (!isGlobal(p) && p !== '.') return realFs.readdirSync(p, opts);
      return call({ op: 'list', path: p }, 'scandir').names;
    },
    mkdirSync(p, opts) {
      if (!isGlobal(p)) return realFs.mkdirSync(p, opts);
      return undefined; // directories are implicit in the global FS
    },
    statSync(p, opts) {
      if (!isGlobal(p)) return realFs.statSync(p, opts);
      const r = call({ op: 'stat', path: p }, 'stat');
      return { size: r.size, mtimeMs: r.mtime * 1000, mtime: new Date(r.mtime * 1000), isFile: () => !r.dir,
        isDirectory: () => !!r.dir };
    },
  };
  for (const name of Object.keys(sync)) fsx[name] = sync[name];
  // Callback forms: done now, reported through the event loop (a callback like any other).
  for (const [name, syncName] of [['readFile', 'readFileSync'], ['writeFile', 'writeFileSync'],
    ['appendFile', 'appendFileSync'], ['unlink', 'unlinkSync'], ['readdir', 'readdirSync'], ['stat', 'statSync']]) {
    fsx[name] = function (p, ...rest) {
      const cb = rest.pop();
      if (!isGlobal(p) && !(name === 'readdir' && p === '.')) return realFs[name](p, ...rest, cb);
      let result;
      try {
        result = sync[syncName](p, ...rest);
      } catch (err) {
        loop.setImmediate(cb, err);
        return undefined;
      }
      loop.setImmediate(cb, null, result);
      return undefined;
    };
  }
  return fsx;
}

module.exports = { makeGlobalFs };
