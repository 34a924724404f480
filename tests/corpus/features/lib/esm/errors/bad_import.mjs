import './does-not-exist.mjs';
export default 1;
