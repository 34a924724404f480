module.exports = {
