// require() of an ES module (Node >= 20.19) and import() from CommonJS
const shapes = require('./shapes.mjs');
module.exports = {
  cubeOf: (x) => shapes.cube(x),
  later: () => import('./counter.mjs').then((ns) => ns.default()),
};
