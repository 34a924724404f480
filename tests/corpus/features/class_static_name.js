var className;
var C = class { static f = (className = this.name); static { console.log('block', this.name); } };
console.log(className, C.name);
const o = { D: class { static x = this.name; } , E: class { static name() { return 'own'; } static y = 1; } };
console.log(o.D.x, o.D.name, typeof o.E.name, o.E.name());
let n = 0;
const t = setInterval(() => { console.log(n++, C.name, o.D.x); if (n === 3) clearInterval(t); }, 1);
