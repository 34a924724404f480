function g(s) {
  eval(s);
}
g('var q = 1');
