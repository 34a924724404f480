module.exports = () => require('./broken.cjs');
