// Registers a loader of its own on require.extensions, as template engines do (art-template's '.art').
const compiled = [];
function tplLoader(module, filename) {
  compiled.push(filename);
  module.exports = (data) => 'tpl:' + filename + ':' + JSON.stringify(data);
}
require.extensions['.tpl'] = tplLoader;
module.exports = { extensions: require.extensions, tplLoader, compiled };
