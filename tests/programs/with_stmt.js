var o = {a: 1};
function f() {
  with (o) { return a; }
}
